using System.Text.Json;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Archive;

public class MessagePageTests(Azurite azurite) : ArchiveTest(azurite)
{
    private const string Group = "@TGS#2ARCHIVE";

    [Fact]
    public async Task Pages_in_either_order_serve_every_stored_seq_once_across_tokens_and_MsgBody_as_stored()
    {
        // 1..47 stored except 20 and 21, whose sends were lost: nothing to serve there, and the walk goes past them.
        await ReceiveAsync(Group, Enumerable.Range(1, 47).Where(s => s is not (20 or 21)).Select(s => (long)s));
        var stored = Enumerable.Range(1, 47).Where(s => s is not (20 or 21)).Select(s => (long)s).ToList();

        var newestFirst = await AllPagesAsync(Group, "limit=10");
        var oldestFirst = await AllPagesAsync(Group, "limit=10&order=asc");
        var bounded = await AllPagesAsync(Group, "limit=7&after=5&before=40");

        Assert.Equal(Enumerable.Reverse(stored), newestFirst.Seqs);
        Assert.Equal(stored, oldestFirst.Seqs);
        Assert.Equal(5, oldestFirst.Pages);
        Assert.Equal(Enumerable.Reverse(stored.Where(s => s is > 5 and < 40)), bounded.Seqs);
        var rows = await MessageRowsAsync(Group);
        Assert.All(newestFirst.Messages, message =>
        {
            var row = rows[message.GetProperty("MsgSeq").GetInt64()];
            AssertJsonEqual(row.GetString("MsgBody")!, message.GetProperty("MsgBody"));
            Assert.Equal(row.GetString("From_Account"), message.GetProperty("From_Account").GetString());
            Assert.Equal(row.GetInt64("Random"), message.GetProperty("MsgRandom").GetInt64());
            Assert.Equal(row.GetInt64("MsgTime"), message.GetProperty("MsgTimeStamp").GetInt64());
            Assert.Equal(0, message.GetProperty("IsPlaceMsg").GetInt32());
            Assert.NotEqual(JsonValueKind.Null, message.GetProperty("ReceivedAt").ValueKind);
        });
    }

    [Fact]
    public async Task The_first_page_answers_the_conversation_and_its_watermark_and_the_default_is_50_newest()
    {
        await ReceiveAsync(Group, Enumerable.Range(1, 60).Select(s => (long)s));

        var (status, page) = await MessagesAsync(Group);

        Assert.Equal(200, status);
        Assert.Equal(Group, page.GetProperty("GroupId").GetString());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("TopicId").ValueKind);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("CompleteThroughSeq").ValueKind);
        Assert.Equal(Enumerable.Range(11, 50).Reverse().Select(s => (long)s), page.GetProperty("Messages").EnumerateArray().Select(m => m.GetProperty("MsgSeq").GetInt64()));
        Assert.NotNull(page.GetProperty("Next").GetString());
    }

    [Fact]
    public async Task Topics_are_served_apart_from_their_group_and_from_each_other()
    {
        await ReceiveAsync(Group, [1, 2, 3], type: "Community");
        await ReceiveAsync(Group, [1, 2], type: "Community", topicId: "@TGS#_topicA");
        await ReceiveAsync(Group, [7], type: "Community", topicId: "@TGS#_topicB");

        var group = await AllPagesAsync(Group, "");
        var topicA = await AllPagesAsync(Group, "topicId=" + Uri.EscapeDataString("@TGS#_topicA"));
        var (_, topicB) = await MessagesAsync(Group, "topicId=" + Uri.EscapeDataString("@TGS#_topicB"));

        Assert.Equal([3L, 2L, 1L], group.Seqs);
        Assert.Equal([2L, 1L], topicA.Seqs);
        Assert.Equal("@TGS#_topicB", topicB.GetProperty("TopicId").GetString());
        Assert.Equal([7L], topicB.GetProperty("Messages").EnumerateArray().Select(m => m.GetProperty("MsgSeq").GetInt64()));
    }

    [Fact]
    public async Task A_messages_later_life_and_its_history_are_served_recalled_and_absent_seqs_marked()
    {
        Tencent.AddMany(Group, null, 6, Now - 7200);
        Tencent.Remove(Group, null, 2);
        Tencent.Recall(Group, null, 3);
        await HistoryImports.StartAsync(App, $$"""{"GroupId":"{{Group}}"}""");
        await HistoryImports.RunPagesAsync(Azurite, App, int.MaxValue);
        await ReceiveAsync(Group, [7]);
        Assert.Equal(200, (await App.PostAsync(AfterRecallMsg.Command, LifecycleSamples.RecallOf(7, by: "moderator", eventTime: 1764688294360, groupId: Group))).StatusCode);
        Assert.Equal(200, (await App.PostAsync(AfterGroupMsgExtension.Command, LifecycleSamples.ExtensionOf(5, 1, 56, """{"Key":"like","Value":"1","Seq":56}""", Group))).StatusCode);
        Assert.Equal(200, (await App.PostAsync(AfterReadReceipt.Command, LifecycleSamples.ReadReceiptOf(5, 2, 4, """{"Member_Account":"user0"},{"Member_Account":"user1"}""", Group))).StatusCode);
        await SynchronizeQueuedAsync();

        var (_, page) = await MessagesAsync(Group, "order=asc");
        var messages = page.GetProperty("Messages").EnumerateArray().ToDictionary(m => m.GetProperty("MsgSeq").GetInt64());

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L], messages.Keys);
        Assert.Equal(1, messages[2].GetProperty("IsPlaceMsg").GetInt32());
        AssertJsonEqual("[]", messages[2].GetProperty("MsgBody"));
        Assert.Equal((2, true), (messages[3].GetProperty("IsPlaceMsg").GetInt32(), messages[3].GetProperty("Recalled").GetBoolean()));
        AssertJsonEqual(TencentDoubleBody(3), messages[3].GetProperty("MsgBody"));
        Assert.Equal((2, 1764688294360, "moderator"), (messages[7].GetProperty("IsPlaceMsg").GetInt32(), messages[7].GetProperty("RecalledAt").GetInt64(), messages[7].GetProperty("RecalledBy").GetString()));
        AssertJsonEqual("""{"like":{"Value":"1","Seq":56}}""", messages[5].GetProperty("Extensions"));
        Assert.Equal((2, 4), (messages[5].GetProperty("ReadNum").GetInt32(), messages[5].GetProperty("UnreadNum").GetInt32()));
        Assert.Equal(1, messages[5].GetProperty("MsgPriority").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, messages[5].GetProperty("BackfilledAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, messages[5].GetProperty("ReceivedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, messages[7].GetProperty("BackfilledAt").ValueKind);
        Assert.False(messages[1].GetProperty("Recalled").GetBoolean());
        AssertJsonEqual("{}", messages[1].GetProperty("Extensions"));
    }

    [Fact]
    public async Task With_RecalledContent_Erase_a_recalled_messages_content_stays_erased()
    {
        Settings["TencentChat:RecalledContent"] = "Erase";
        await ReceiveAsync(Group, [1, 2]);
        Assert.Equal(200, (await App.PostAsync(AfterRecallMsg.Command, LifecycleSamples.RecallOf(2, groupId: Group))).StatusCode);
        await SynchronizeQueuedAsync();

        var (_, page) = await MessagesAsync(Group);
        var recalled = page.GetProperty("Messages")[0];

        Assert.Equal((2L, 2), (recalled.GetProperty("MsgSeq").GetInt64(), recalled.GetProperty("IsPlaceMsg").GetInt32()));
        AssertJsonEqual("[]", recalled.GetProperty("MsgBody"));
        Assert.Equal(JsonValueKind.Null, recalled.GetProperty("CloudCustomData").ValueKind);
        Assert.DoesNotContain("message 2", page.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_offloaded_to_a_blob_is_served_inline()
    {
        var longText = new string('x', 40_000);
        Assert.Equal(200, (await App.PostAsync(AfterSendMsg.Command, CallbackRequests.Message(Group, 1, text: longText))).StatusCode);
        await SynchronizeQueuedAsync();
        Assert.NotNull((await MessageRowsAsync(Group))[1].GetString("MsgBody" + Storage.LargeValues.BlobSuffix));

        var (_, page) = await MessagesAsync(Group);

        Assert.Equal(longText, page.GetProperty("Messages")[0].GetProperty("MsgBody")[0].GetProperty("MsgContent").GetProperty("Text").GetString());
    }

    [Fact]
    public async Task An_AVChatRoom_group_is_served_in_key_order_a_page_at_a_time()
    {
        foreach (var i in Enumerable.Range(1, 5))
            Assert.Equal(200, (await App.PostAsync(AfterSendMsg.Command, CallbackRequests.Message("@TGS#aLIVE", i, type: "AVChatRoom", msgId: $"msg-{i}"))).StatusCode);
        await SynchronizeQueuedAsync();

        var all = await AllPagesAsync("@TGS#aLIVE", "limit=2");
        var (status, bounded) = await MessagesAsync("@TGS#aLIVE", "before=3");

        Assert.Equal(["msg-1", "msg-2", "msg-3", "msg-4", "msg-5"], all.Messages.Select(m => m.GetProperty("MsgId").GetString()));
        Assert.Equal(3, all.Pages);
        Assert.Equal(400, status);
        Assert.Contains("AVChatRoom", bounded.GetProperty("Error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Newest_first_serves_every_row_of_a_window_that_completes_a_page_after_a_long_stretch_without_rows()
    {
        // 100, 99, 98, then nothing down to 4..1: the walk widens its window over the stretch, and the window that
        // reaches the floor holds more rows (4) than the page still needs (2); the rest belong on the next page.
        long[] stored = [1, 2, 3, 4, 98, 99, 100];
        await ReceiveAsync(Group, stored);

        var newestFirst = await AllPagesAsync(Group, "limit=5");

        Assert.Equal(stored.Reverse(), newestFirst.Seqs);
    }

    [Fact]
    public async Task Newest_first_below_a_before_far_above_the_newest_seq_answers_at_once()
    {
        await ReceiveAsync(Group, [1, 2, 3]);

        var read = MessagesAsync(Group, "before=9223372036854775807&limit=2");
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(read, finished);
        var (status, page) = await read;
        Assert.Equal(200, status);
        Assert.Equal([3L, 2L], page.GetProperty("Messages").EnumerateArray().Select(m => m.GetProperty("MsgSeq").GetInt64()));
    }

    private static string TencentDoubleBody(long seq) => Testing.TencentRestDouble.Message(seq, 0).MsgBody;
}
