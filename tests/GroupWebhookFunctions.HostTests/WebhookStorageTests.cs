using System.Net;
using Azure.Data.Tables;
using GroupWebhookFunctions.HostTests.Hosting;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.HostTests;

/// <summary>Signed webhooks of every handled command, through the host's HTTP trigger, queue trigger and tables.</summary>
[Collection(HostCollection.Name)]
public class WebhookStorageTests(HostedApp app)
{
    public static TheoryData<string> Commands => [.. HandledCallbacks.Commands];

    [SkippableTheory]
    [MemberData(nameof(Commands))]
    public async Task A_signed_webhook_lands_in_its_table_and_a_repeat_is_stored_once(string command)
    {
        app.Require();
        var group = Webhooks.NewGroupId("store");
        var (body, table, partition, check) = Expectation(command, group);

        for (var delivery = 0; delivery < 2; delivery++)
        {
            using var reply = await app.PostCallbackAsync(command, body);
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
            Assert.Contains("\"ActionStatus\":\"OK\"", await reply.Content.ReadAsStringAsync());
        }

        List<TableEntity> rows = [];
        await HostedApp.WaitForAsync(async () => check(rows = await app.RowsAsync(table, partition)), TimeSpan.FromSeconds(60), $"{command}'s rows in {table}");
        await WaitUntilQueueIsDrainedAsync();
        var afterRepeat = await app.RowsAsync(table, partition);
        Assert.True(check(afterRepeat));
        Assert.Equal(rows.Select(r => r.RowKey).Order(), afterRepeat.Select(r => r.RowKey).Order());
    }

    /// <summary>What each command's webhook is, where its rows go, and what they must say (with exactly the rows one event makes).</summary>
    private static (string Body, string Table, string Partition, Func<List<TableEntity>, bool> Check) Expectation(string command, string group)
    {
        var partition = TableKeys.ConversationPartition(group, null);
        return command switch
        {
            AfterSendMsg.Command => (Webhooks.Send(group, 7), StorageNames.MessageTable, partition,
                rows => rows.Count == 1 && rows[0].RowKey == TableKeys.SequenceRow(7) && rows[0].GetInt64("MsgSeq") == 7 && rows[0].GetString("Text") == "hello"),
            AfterRecallMsg.Command => (LifecycleSamples.RecallOf(130, groupId: group), StorageNames.MessageTable, partition,
                rows => rows.Count == 1 && rows[0].RowKey == TableKeys.SequenceRow(130) && rows[0].GetBoolean("Recalled") == true),
            AfterGroupMsgExtension.Command => (LifecycleSamples.ExtensionOf(10, 1, 56, """{"Key":"colour","Value":"red","Seq":56}""", group), StorageNames.MessageTable, partition,
                rows => rows.Count == 1 && rows[0].GetString("Extensions")?.Contains("\"colour\"", StringComparison.Ordinal) == true && rows[0].GetInt64("ExtensionSeq") == 56),
            AfterReadReceipt.Command => (LifecycleSamples.ReadReceiptOf(1, 1, 6, """{"Member_Account":"user0"}""", group), StorageNames.ReaderTable, partition,
                rows => rows.Count == 1 && rows[0].GetString("Member_Account") == "user0"),
            AfterGroupDestroyed.Command => (LifecycleSamples.GroupDestroyed.Replace("@TGS#2J4SZEAEL", group, StringComparison.Ordinal), StorageNames.SummaryTable,
                TableKeys.SummaryPartition(group), rows => rows.Count == 1 && rows[0].GetBoolean("Disbanded") == true),
            AfterTopicDestroyed.Command => (LifecycleSamples.TopicDestroyed.Replace("@TGS#_@TGS#cQVLVHIM62CJ", "@TGS#_" + group[5..], StringComparison.Ordinal), StorageNames.SummaryTable,
                TableKeys.SummaryPartition("@TGS#_" + group[5..]), rows => rows.Count == 2 && rows.All(r => r.GetBoolean("Deleted") == true)),
            SendMsgException.Command => (LifecycleSamples.SendFailure.Replace("@TGS#2J4SZEAEL", group, StringComparison.Ordinal), StorageNames.FailureTable, partition,
                rows => rows.Count == 1 && rows[0].GetInt64("ErrorCode") == 10023),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "A handled command this test does not know: add it."),
        };
    }

    /// <summary>Every queued event has been handled (a message in flight still counts in the queue's depth).</summary>
    private async Task WaitUntilQueueIsDrainedAsync() =>
        await HostedApp.WaitForAsync(async () => (await app.Queue(StorageNames.EventQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            TimeSpan.FromSeconds(60), "the event queue to drain");
}
