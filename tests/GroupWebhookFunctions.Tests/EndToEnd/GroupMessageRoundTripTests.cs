using System.Text.Json;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.EndToEnd;

/// <summary>From Tencent's HTTP request, through the real queue, to the table rows.</summary>
public class GroupMessageRoundTripTests(Azurite azurite) : StorageTest(azurite)
{
    [Fact]
    public async Task The_seed_pages_sample_becomes_one_row_with_every_field_intact()
    {
        var reply = await App.PostAsync(App.SignedUrl(), CallbackRequests.SeedPageSample);
        Assert.Equal(200, reply.StatusCode);

        Assert.Equal(1, await SynchronizeQueuedAsync());

        var row = Assert.Single(await RowsAsync(StorageNames.MessageTable));
        Assert.Equal("@TGS~232J4SZEAEL", row.PartitionKey);
        Assert.Equal("0000000000000000123", row.RowKey);
        Assert.Equal("@TGS#2J4SZEAEL", row.GetString("GroupId"));
        Assert.Equal("Public", row.GetString("Type"));
        Assert.Equal("jared", row.GetString("From_Account"));
        Assert.Equal("admin", row.GetString("Operator_Account"));
        Assert.Equal(123456L, row.GetInt64("Random"));
        Assert.Equal(123L, row.GetInt64("MsgSeq"));
        Assert.Equal(1490686222L, row.GetInt64("MsgTime"));
        Assert.Equal(1L, row.GetInt64("OnlineOnlyFlag"));
        Assert.Equal("your cloud custom data", row.GetString("CloudCustomData"));
        Assert.Equal(1670574414123L, row.GetInt64("EventTime"));
        Assert.Equal("red packet", row.GetString("Text"));
        Assert.Equal(CallbackRequests.SdkAppId, row.GetString("SdkAppid"));
        Assert.Equal("203.0.113.7", row.GetString("ClientIP"));
        Assert.Equal("Android", row.GetString("OptPlatform"));
        Assert.Equal(App.Clock.GetUtcNow(), row.GetDateTimeOffset("ReceivedAt"));
        var body = JsonDocument.Parse(row.GetString("MsgBody")).RootElement;
        Assert.Equal("TIMTextElem", body[0].GetProperty("MsgType").GetString());
        Assert.Equal("red packet", body[0].GetProperty("MsgContent").GetProperty("Text").GetString());
        Assert.False(row.ContainsKey("ExtraFields"));
    }

    [Fact]
    public async Task The_same_event_delivered_twice_leaves_one_row_and_a_correct_summary()
    {
        await App.PostAsync(App.SignedUrl(), CallbackRequests.SeedPageSample);
        await App.PostAsync(App.SignedUrl(), CallbackRequests.SeedPageSample);

        Assert.Equal(2, await SynchronizeQueuedAsync());

        Assert.Single(await RowsAsync(StorageNames.MessageTable));
        var summary = Assert.Single(await RowsAsync(StorageNames.SummaryTable));
        Assert.Equal(123L, summary.GetInt64("MsgSeq"));
        Assert.Single(App.Logs.Entries, e => e.Message.StartsWith("Duplicate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Messages_processed_out_of_order_are_all_stored_and_the_summary_shows_the_latest()
    {
        foreach (var seq in new long[] { 3, 5, 1, 4, 2 })
            await App.PostAsync(App.SignedUrl(), CallbackRequests.Message(msgSeq: seq, msgTime: 1_700_000_000 + seq, from: $"user{seq}"));

        await SynchronizeQueuedAsync();

        var rows = await RowsAsync(StorageNames.MessageTable);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], rows.Select(r => r.GetInt64("MsgSeq")!.Value));
        var summary = Assert.Single(await RowsAsync(StorageNames.SummaryTable));
        Assert.Equal(5L, summary.GetInt64("MsgSeq"));
        Assert.Equal("user5", summary.GetString("From_Account"));
        Assert.Equal(1_700_000_005L, summary.GetInt64("MsgTime"));
    }

    [Fact]
    public async Task A_late_older_message_never_moves_the_summary_back()
    {
        await App.PostAsync(App.SignedUrl(), CallbackRequests.Message(msgSeq: 9, from: "newest"));
        await SynchronizeQueuedAsync();
        await App.PostAsync(App.SignedUrl(), CallbackRequests.Message(msgSeq: 8, from: "older"));
        await SynchronizeQueuedAsync();

        var summary = Assert.Single(await RowsAsync(StorageNames.SummaryTable));
        Assert.Equal(9L, summary.GetInt64("MsgSeq"));
        Assert.Equal("newest", summary.GetString("From_Account"));
    }

    [Fact]
    public async Task Concurrent_synchronizers_leave_the_summary_at_the_highest_MsgSeq()
    {
        for (var seq = 1; seq <= 24; seq++)
            await App.PostAsync(App.SignedUrl(), CallbackRequests.Message(msgSeq: seq, from: $"user{seq}"));
        var events = await QueuedEventsAsync();
        using var otherInstance = new TestApp(Azurite.ConnectionString);

        await Task.WhenAll(events.Select((e, i) => Task.Run(() => (i % 2 == 0 ? App : otherInstance).SynchronizeAsync(e.Body.ToString()))));

        Assert.Equal(24, (await RowsAsync(StorageNames.MessageTable)).Count);
        var summary = Assert.Single(await RowsAsync(StorageNames.SummaryTable));
        Assert.Equal(24L, summary.GetInt64("MsgSeq"));
        Assert.Equal("user24", summary.GetString("From_Account"));
    }

    [Fact]
    public async Task A_topic_message_gets_its_own_partition_and_summary_row()
    {
        const string community = "@TGS#_@TGS#cQVLVHIM62CJ";
        const string topic = "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic";
        await App.PostAsync(App.SignedUrl(), CallbackRequests.Message(groupId: community, type: "Community", msgSeq: 7, topicId: topic));
        await App.PostAsync(App.SignedUrl(), CallbackRequests.Message(groupId: community, type: "Community", msgSeq: 7));

        await SynchronizeQueuedAsync();

        var rows = await RowsAsync(StorageNames.MessageTable);
        Assert.Equal(2, rows.Count);
        var topicRow = Assert.Single(rows, r => r.GetString("TopicId") == topic);
        Assert.NotEqual(rows.Single(r => r != topicRow).PartitionKey, topicRow.PartitionKey);
        var summaries = await RowsAsync(StorageNames.SummaryTable);
        Assert.Equal(2, summaries.Count);
        Assert.All(summaries, s => Assert.Equal(TableKeys.EscapeKey(community), s.PartitionKey));
        Assert.Contains(summaries, s => s.RowKey == "" && !s.ContainsKey("TopicId"));
        Assert.Contains(summaries, s => s.GetString("TopicId") == topic);
    }

    [Fact]
    public async Task An_AVChatRoom_message_without_a_usable_MsgSeq_is_stored_once_by_MsgId()
    {
        const string body = """
            {"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#aLiveRoom","Type":"AVChatRoom","From_Account":"host",
             "Random":4294967295,"MsgSeq":0,"MsgTime":1727580296,"MsgId":"144115233406643804-1727580296-4026038328",
             "MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"live"}}],"EventTime":1727580296123}
            """;
        await App.PostAsync(App.SignedUrl(), body);
        await App.PostAsync(App.SignedUrl(), body);

        await SynchronizeQueuedAsync();

        var row = Assert.Single(await RowsAsync(StorageNames.MessageTable));
        Assert.Equal("id-144115233406643804-1727580296-4026038328", row.RowKey);
        Assert.Equal(4294967295L, row.GetInt64("Random"));
    }

    [Fact]
    public async Task An_AVChatRoom_message_with_neither_MsgSeq_nor_MsgId_is_stored_once_by_its_content()
    {
        const string body = """
            {"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#aLiveRoom","Type":"AVChatRoom","From_Account":"host",
             "Random":"77","MsgTime":"1727580296","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"live"}}]}
            """;
        await App.PostAsync(App.SignedUrl(), body);
        await App.PostAsync(App.SignedUrl(), body);
        await App.PostAsync(App.SignedUrl(), body.Replace("\"77\"", "\"78\"", StringComparison.Ordinal));

        await SynchronizeQueuedAsync();

        var rows = await RowsAsync(StorageNames.MessageTable);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.StartsWith("h-", r.RowKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_envelope_too_big_for_a_queue_message_travels_through_a_blob_and_arrives_whole()
    {
        var text = string.Concat(Enumerable.Range(0, 7000).Select(i => $"{i % 10}漢字"));
        var body = CallbackRequests.Message(msgSeq: 42, text: text);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(body) > EventEnvelope.MaxQueuedBytes);

        var reply = await App.PostAsync(App.SignedUrl(), body);
        Assert.Equal(200, reply.StatusCode);

        var queued = Assert.Single(await QueuedEventsAsync());
        var blobName = JsonDocument.Parse(queued.Body.ToString()).RootElement.GetProperty(EventEnvelope.PayloadBlobName).GetString()!;
        Assert.True(await Azurite.Container(StorageNames.PayloadContainer).GetBlobClient(blobName).ExistsAsync());

        await App.SynchronizeAsync(queued.Body.ToString());

        var row = Assert.Single(await RowsAsync(StorageNames.MessageTable));
        Assert.Equal(42L, row.GetInt64("MsgSeq"));
        var msgBody = row.GetString("MsgBody") ?? await ReadBlobAsync(row.GetString("MsgBodyBlob"));
        Assert.Equal(text, JsonDocument.Parse(msgBody).RootElement[0].GetProperty("MsgContent").GetProperty("Text").GetString());
    }

    [Fact]
    public async Task A_MsgBody_too_long_for_a_table_property_is_kept_in_a_blob_the_row_names()
    {
        var text = new string('a', 40_000);
        await App.PostAsync(App.SignedUrl(), CallbackRequests.Message(msgSeq: 43, text: text));

        await SynchronizeQueuedAsync();

        var row = Assert.Single(await RowsAsync(StorageNames.MessageTable));
        Assert.False(row.ContainsKey("MsgBody"));
        var stored = await ReadBlobAsync(row.GetString("MsgBodyBlob"));
        Assert.Equal(text, JsonDocument.Parse(stored).RootElement[0].GetProperty("MsgContent").GetProperty("Text").GetString());
        Assert.Equal(4096, row.GetString("Text").Length);
    }

    [Fact]
    public async Task Unknown_top_level_fields_are_kept_in_ExtraFields()
    {
        var body = CallbackRequests.SeedPageSample.Replace("\"Type\": \"Public\",", "\"Type\": \"Public\", \"NewField\": {\"a\": [1, 2]},", StringComparison.Ordinal);
        await App.PostAsync(App.SignedUrl(), body);

        await SynchronizeQueuedAsync();

        var row = Assert.Single(await RowsAsync(StorageNames.MessageTable));
        var extra = JsonDocument.Parse(row.GetString("ExtraFields")).RootElement;
        Assert.Equal(2, extra.GetProperty("NewField").GetProperty("a")[1].GetInt32());
    }

    [Fact]
    public async Task A_queue_message_that_can_never_be_stored_goes_to_the_poison_queue_at_once()
    {
        await App.SynchronizeAsync("""{"SdkAppid":"1400000001","Body":{"GroupId":"@TGS#1"}}""");

        var poisoned = Assert.Single(await TakeAllAsync(StorageNames.PoisonQueue));
        Assert.Contains("@TGS#1", poisoned.Body.ToString(), StringComparison.Ordinal);
        Assert.Empty(await RowsAsync(StorageNames.MessageTable));
        Assert.Single(App.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task A_storage_fault_while_synchronizing_is_thrown_so_the_host_retries()
    {
        await App.PostAsync(App.SignedUrl(), CallbackRequests.SeedPageSample);
        var queued = Assert.Single(await QueuedEventsAsync());
        using var disconnected = new TestApp(Azurite.UnreachableConnectionString);

        await Assert.ThrowsAnyAsync<Exception>(() => disconnected.SynchronizeAsync(queued.Body.ToString()));
        Assert.Empty(await TakeAllAsync(StorageNames.PoisonQueue));
    }

    private async Task<string> ReadBlobAsync(string blobName) =>
        (await Azurite.Container(StorageNames.PayloadContainer).GetBlobClient(blobName).DownloadContentAsync()).Value.Content.ToString();
}
