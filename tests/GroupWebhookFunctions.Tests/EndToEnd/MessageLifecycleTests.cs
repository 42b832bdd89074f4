using System.Text.Json;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.EndToEnd;

/// <summary>Each later-life command, from Tencent's HTTP request through the real queue to the tables it changes.</summary>
public class MessageLifecycleTests(Azurite azurite) : StorageTest(azurite)
{
    private async Task DeliverAsync(string command, string body, TestApp? app = null)
    {
        app ??= App;
        var reply = await app.PostAsync(command, body);
        Assert.True(reply.StatusCode == 200, $"{command}: {reply.StatusCode} {reply.ErrorCode} {reply.ErrorInfo}");
        Assert.Equal(1, await SynchronizeQueuedAsync(app));
    }

    private async Task<TableEntity> RowAsync(string table, string partitionKey, string rowKey) =>
        (await Azurite.Table(table).GetEntityAsync<TableEntity>(partitionKey, rowKey)).Value;

    private const string SeedPartition = "@TGS~232J4SZEAEL";
    private const string Seq123 = "0000000000000000123";

    [Fact]
    public async Task The_recall_sample_marks_its_message_recalled_in_its_topic_partition()
    {
        await DeliverAsync(AfterRecallMsg.Command, LifecycleSamples.Recall);

        var row = Assert.Single(await RowsAsync(StorageNames.MessageTable));
        Assert.Equal(("1213456!" + TableKeys.EscapeKey("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic"), "0000000000000000130"), (row.PartitionKey, row.RowKey));
        Assert.True(row.GetBoolean("Recalled"));
        Assert.Equal(1670574414123L, row.GetInt64("RecalledAt"));
        Assert.Equal("admin", row.GetString("RecalledBy"));
        Assert.Equal("144115213033478435-1739361321-2512805311", row.GetString("MsgId"));
        Assert.Empty(await RowsAsync(StorageNames.SummaryTable));
    }

    [Fact]
    public async Task A_recall_keeps_the_content_by_default_and_never_moves_the_summary()
    {
        await DeliverAsync(AfterSendMsg.Command, CallbackRequests.SeedPageSample);
        await DeliverAsync(AfterRecallMsg.Command, LifecycleSamples.RecallOf(123));
        await DeliverAsync(AfterRecallMsg.Command, LifecycleSamples.RecallOf(500));

        var row = await RowAsync(StorageNames.MessageTable, SeedPartition, Seq123);
        Assert.True(row.GetBoolean("Recalled"));
        Assert.Equal("red packet", row.GetString("Text"));
        Assert.NotNull(row.GetString("MsgBody"));
        var summary = Assert.Single(await RowsAsync(StorageNames.SummaryTable));
        Assert.Equal(123L, summary.GetInt64("MsgSeq"));
    }

    [Fact]
    public async Task With_Erase_a_recall_removes_the_content_whether_it_comes_before_or_after_the_send()
    {
        using var app = new TestApp(Azurite.ConnectionString, recalledContent: "Erase");
        var bigText = new string('x', 40_000);
        await DeliverAsync(AfterSendMsg.Command, CallbackRequests.Message(msgSeq: 1, text: bigText), app);
        await DeliverAsync(AfterRecallMsg.Command, LifecycleSamples.RecallOf(1), app);
        await DeliverAsync(AfterRecallMsg.Command, LifecycleSamples.RecallOf(2), app);
        await DeliverAsync(AfterSendMsg.Command, CallbackRequests.Message(msgSeq: 2, text: bigText), app);

        foreach (var rowKey in new[] { "0000000000000000001", "0000000000000000002" })
        {
            var row = await RowAsync(StorageNames.MessageTable, SeedPartition, rowKey);
            Assert.True(row.GetBoolean("Recalled"), rowKey);
            foreach (var column in new[] { "MsgBody", "MsgBodyBlob", "Text", "TextBlob", "CloudCustomData" })
                Assert.False(row.ContainsKey(column), $"{rowKey} still has {column}");
            Assert.Equal("jared", row.GetString("From_Account"));
            Assert.NotNull(row.GetDateTimeOffset("ReceivedAt"));
        }
        Assert.Empty(await BlobsAsync("large-values/"));
    }

    [Fact]
    public async Task The_extension_samples_set_delete_and_clear_keys_and_keep_the_latest_Seq()
    {
        await DeliverAsync(AfterGroupMsgExtension.Command, LifecycleSamples.ExtensionSet);
        var afterSet = await RowAsync(StorageNames.MessageTable, "test", "0000000000000000010");
        Assert.Equal("""{"key2":{"Value":"value2","Seq":56},"key3":{"Value":"12122","Seq":56}}""", afterSet.GetString("Extensions"));

        await DeliverAsync(AfterGroupMsgExtension.Command, LifecycleSamples.ExtensionDelete);
        var afterDelete = await RowAsync(StorageNames.MessageTable, "test", "0000000000000000010");
        Assert.Equal("""{"key3":{"Value":"12122","Seq":56}}""", afterDelete.GetString("Extensions"));

        await DeliverAsync(AfterGroupMsgExtension.Command, LifecycleSamples.ExtensionClear);
        var afterClear = await RowAsync(StorageNames.MessageTable, "test", "0000000000000000010");
        Assert.Equal("{}", afterClear.GetString("Extensions"));
        Assert.Equal(58L, afterClear.GetInt64("ExtensionSeq"));
    }

    [Fact]
    public async Task An_older_extension_event_arriving_late_does_not_bring_a_key_back()
    {
        await DeliverAsync(AfterGroupMsgExtension.Command, LifecycleSamples.ExtensionDelete);
        await DeliverAsync(AfterGroupMsgExtension.Command, LifecycleSamples.ExtensionSet);

        var row = await RowAsync(StorageNames.MessageTable, "test", "0000000000000000010");
        Assert.Equal("""{"key3":{"Value":"12122","Seq":56}}""", row.GetString("Extensions"));
        Assert.Equal(57L, row.GetInt64("ExtensionSeq"));
    }

    [Fact]
    public async Task The_read_receipt_sample_counts_reads_and_records_each_reader()
    {
        await DeliverAsync(AfterReadReceipt.Command, LifecycleSamples.ReadReceipt);

        var row = await RowAsync(StorageNames.MessageTable, "@TGS~232TTV7VSII", "0000000000000000001");
        Assert.Equal((1L, 6L), (row.GetInt64("ReadNum"), row.GetInt64("UnreadNum")));
        var reader = Assert.Single(await RowsAsync(StorageNames.ReaderTable));
        Assert.Equal(("@TGS~232TTV7VSII", "0000000000000000001!user0", "user0", 1L), (reader.PartitionKey, reader.RowKey, reader.GetString("Member_Account"), reader.GetInt64("MsgSeq")));
    }

    [Fact]
    public async Task Read_counts_only_move_toward_more_read()
    {
        await DeliverAsync(AfterReadReceipt.Command, LifecycleSamples.ReadReceiptOf(123, read: 3, unread: 4, """{"Member_Account":"a"},{"Member_Account":"b"}"""));
        await DeliverAsync(AfterReadReceipt.Command, LifecycleSamples.ReadReceiptOf(123, read: 1, unread: 6, """{"Member_Account":"a"}"""));

        var row = await RowAsync(StorageNames.MessageTable, SeedPartition, Seq123);
        Assert.Equal((3L, 4L), (row.GetInt64("ReadNum"), row.GetInt64("UnreadNum")));
        Assert.Equal(2, (await RowsAsync(StorageNames.ReaderTable)).Count);
    }

    [Fact]
    public async Task The_disband_sample_marks_the_groups_summary_and_keeps_its_messages()
    {
        await DeliverAsync(AfterSendMsg.Command, CallbackRequests.SeedPageSample);
        await DeliverAsync(AfterGroupDestroyed.Command, LifecycleSamples.GroupDestroyed);
        await DeliverAsync(AfterSendMsg.Command, CallbackRequests.Message(msgSeq: 124));

        var summary = await RowAsync(StorageNames.SummaryTable, SeedPartition, "");
        Assert.True(summary.GetBoolean("Disbanded"));
        Assert.Equal(1670574414123L, summary.GetInt64("DisbandedAt"));
        Assert.Equal(("administrator", "leckie", "MyFirstGroup"), (summary.GetString("DisbandedBy"), summary.GetString("Owner_Account"), summary.GetString("Name")));
        Assert.Equal(["leckie", "peter", "bob"], JsonDocument.Parse(summary.GetString("MemberList")).RootElement.EnumerateArray().Select(m => m.GetProperty("Member_Account").GetString()));
        Assert.Equal(124L, summary.GetInt64("MsgSeq"));
        Assert.Equal(2, (await RowsAsync(StorageNames.MessageTable)).Count);
    }

    [Fact]
    public async Task A_member_list_too_long_for_a_column_goes_to_a_blob()
    {
        var members = string.Join(",", Enumerable.Range(0, 2000).Select(i => $$"""{"Member_Account":"member-{{i:D6}}"}"""));
        await DeliverAsync(AfterGroupDestroyed.Command, LifecycleSamples.GroupDestroyed.Replace("""{"Member_Account": "leckie"}, {"Member_Account": "peter"}, {"Member_Account": "bob"}""", members, StringComparison.Ordinal));

        var summary = await RowAsync(StorageNames.SummaryTable, SeedPartition, "");
        Assert.False(summary.ContainsKey("MemberList"));
        var blob = await Azurite.Container(StorageNames.PayloadContainer).GetBlobClient(summary.GetString("MemberListBlob")).DownloadContentAsync();
        Assert.Equal(2000, JsonDocument.Parse(blob.Value.Content.ToString()).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task The_topic_deletion_sample_marks_each_topics_summary_at_the_receive_time()
    {
        await DeliverAsync(AfterTopicDestroyed.Command, LifecycleSamples.TopicDestroyed);

        var rows = await RowsAsync(StorageNames.SummaryTable);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal(TableKeys.EscapeKey("@TGS#_@TGS#cQVLVHIM62CJ"), row.PartitionKey);
            Assert.True(row.GetBoolean("Deleted"));
            Assert.Equal(App.Clock.GetUtcNow().ToUnixTimeMilliseconds(), row.GetInt64("DeletedAt"));
        });
        Assert.Equal(["@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic", "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic_1"], rows.Select(r => r.GetString("TopicId")).Order());
    }

    [Fact]
    public async Task A_repeated_topic_deletion_keeps_the_first_time()
    {
        await DeliverAsync(AfterTopicDestroyed.Command, LifecycleSamples.TopicDestroyed);
        var first = App.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        App.Clock.Advance(TimeSpan.FromSeconds(30));
        await DeliverAsync(AfterTopicDestroyed.Command, LifecycleSamples.TopicDestroyed);

        Assert.All(await RowsAsync(StorageNames.SummaryTable), row => Assert.Equal(first, row.GetInt64("DeletedAt")));
    }

    [Fact]
    public async Task The_send_failure_sample_is_one_row_with_its_reason_however_often_it_comes()
    {
        await DeliverAsync(SendMsgException.Command, LifecycleSamples.SendFailure);
        App.Clock.Advance(TimeSpan.FromSeconds(5));
        await DeliverAsync(SendMsgException.Command, LifecycleSamples.SendFailure);

        var row = Assert.Single(await RowsAsync(StorageNames.FailureTable));
        Assert.Equal(SeedPartition, row.PartitionKey);
        Assert.StartsWith("0000001670574414123-", row.RowKey, StringComparison.Ordinal);
        Assert.Equal((10023L, "msg count exceeds limit,please retry later"), (row.GetInt64("ErrorCode"), row.GetString("ErrorInfo")));
        Assert.Equal("Message frequency over the limit; retry later.", row.GetString("ErrorMeaning"));
        Assert.Equal(("jared", "admin", 123456L, 1L, "your cloud custom data", "Public"),
            (row.GetString("From_Account"), row.GetString("Operator_Account"), row.GetInt64("Random"), row.GetInt64("OnlineOnlyFlag"), row.GetString("CloudCustomData"), row.GetString("Type")));
        Assert.Equal("red packet", JsonDocument.Parse(row.GetString("MsgBody")).RootElement[0].GetProperty("MsgContent").GetProperty("Text").GetString());
        Assert.Empty(await RowsAsync(StorageNames.MessageTable));
    }

    public static TheoryData<string, string, int> Refusals => new()
    {
        { AfterRecallMsg.Command, """{"GroupId":"@TGS#1","MsgSeqList":[]}""", 40020 },
        { AfterRecallMsg.Command, """{"GroupId":"@TGS#1","MsgSeqList":[{"MsgId":""}]}""", 40020 },
        { AfterRecallMsg.Command, """{"GroupId":"@TGS#1","MsgSeqList":[{"MsgSeq":"x"}]}""", 40006 },
        { AfterRecallMsg.Command, """{"MsgSeqList":[{"MsgSeq":1}]}""", 40004 },
        { AfterGroupMsgExtension.Command, """{"GroupId":"@TGS#1","MsgSeq":10,"OperateType":4,"ExtensionList":[],"Seq":1}""", 40021 },
        { AfterGroupMsgExtension.Command, """{"GroupId":"@TGS#1","MsgSeq":10,"OperateType":1,"ExtensionList":[{"Value":"v"}],"Seq":1}""", 40021 },
        { AfterGroupMsgExtension.Command, """{"GroupId":"@TGS#1","OperateType":1,"ExtensionList":[],"Seq":1}""", 40021 },
        { AfterGroupMsgExtension.Command, """{"GroupId":"@TGS#1","MsgSeq":10,"OperateType":1,"ExtensionList":[{"Key":"k","Seq":"soon"}],"Seq":1}""", 40006 },
        { AfterReadReceipt.Command, """{"GroupId":"@TGS#1","GroupMsgReceiptList":[]}""", 40022 },
        { AfterReadReceipt.Command, """{"GroupId":"@TGS#1","GroupMsgReceiptList":[{"MsgSeq":1,"ReadReceiptMembers":[{}]}]}""", 40022 },
        { AfterReadReceipt.Command, """{"GroupId":"@TGS#1","GroupMsgReceiptList":[null]}""", 40006 },
        { AfterGroupDestroyed.Command, """{"Owner_Account":"leckie"}""", 40004 },
        { AfterGroupDestroyed.Command, """{"GroupId":"@TGS#1","MemberList":"leckie"}""", 40006 },
        { AfterTopicDestroyed.Command, """{"GroupId":"@TGS#1","TopicIdList":[]}""", 40023 },
        { AfterTopicDestroyed.Command, """{"GroupId":"@TGS#1","TopicIdList":[7]}""", 40006 },
        { SendMsgException.Command, """{"GroupId":"@TGS#1","From_Account":"jared"}""", 40024 },
        { SendMsgException.Command, """{"GroupId":"@TGS#1","ErrorCode":10023,"MsgBody":[null]}""", 40012 },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_malformed_body_is_refused_at_the_door_with_its_commands_ErrorCode(string command, string body, int errorCode)
    {
        var reply = await App.PostAsync(command, body);

        Assert.True(reply.StatusCode == 400 && reply.ErrorCode == errorCode, $"{command} {body}: {reply.StatusCode} {reply.ErrorCode} {reply.ErrorInfo}");
        Assert.Empty(await QueuedEventsAsync());
    }

    [Fact]
    public async Task A_recall_entry_sent_as_a_bare_number_is_read_as_its_MsgSeq()
    {
        await DeliverAsync(AfterRecallMsg.Command, """{"CallbackCommand":"Group.CallbackAfterRecallMsg","GroupId":"@TGS#2J4SZEAEL","Type":"Public","MsgSeqList":[123, {"MsgSeq":"124"}],"EventTime":"1670574414123"}""");

        Assert.Equal(["0000000000000000123", "0000000000000000124"], (await RowsAsync(StorageNames.MessageTable)).Select(r => r.RowKey).Order());
    }
}
