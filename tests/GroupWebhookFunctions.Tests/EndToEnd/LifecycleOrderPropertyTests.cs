using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.EndToEnd;

/// <summary>
/// Whatever order a message's events are synchronized in, however often one repeats, and even when they all race on
/// the row at once, the row ends the same. Each group below holds one message and receives the same eight events.
/// </summary>
public class LifecycleOrderPropertyTests(Azurite azurite) : StorageTest(azurite)
{
    private const int SequentialGroups = 40;
    private const int RacingGroups = 12;
    private const long MsgSeq = 7;

    private static (string Command, string Body)[] Events(string groupId) =>
    [
        (AfterSendMsg.Command, CallbackRequests.Message(groupId: groupId, msgSeq: MsgSeq, text: "hello")),
        (AfterRecallMsg.Command, LifecycleSamples.RecallOf(MsgSeq, by: "alice", eventTime: 2000, groupId: groupId)),
        (AfterRecallMsg.Command, LifecycleSamples.RecallOf(MsgSeq, by: "bob", eventTime: 1000, groupId: groupId)),
        (AfterGroupMsgExtension.Command, LifecycleSamples.ExtensionOf(MsgSeq, 1, 60, """{"Key":"a","Value":"1","Seq":60},{"Key":"b","Value":"2","Seq":60}""", groupId)),
        (AfterGroupMsgExtension.Command, LifecycleSamples.ExtensionOf(MsgSeq, 2, 61, """{"Key":"a","Value":"","Seq":61}""", groupId)),
        (AfterGroupMsgExtension.Command, LifecycleSamples.ExtensionOf(MsgSeq, 1, 62, """{"Key":"c","Value":"3","Seq":62},{"Key":"b","Value":"2b","Seq":62}""", groupId)),
        (AfterReadReceipt.Command, LifecycleSamples.ReadReceiptOf(MsgSeq, 2, 5, """{"Member_Account":"a"},{"Member_Account":"b"}""", groupId)),
        (AfterReadReceipt.Command, LifecycleSamples.ReadReceiptOf(MsgSeq, 4, 3, """{"Member_Account":"c"}""", groupId)),
    ];

    [Fact]
    public async Task Every_order_of_a_messages_events_ends_in_the_same_row()
    {
        var random = new Random(20261129);
        var groups = Enumerable.Range(0, SequentialGroups + RacingGroups).Select(i => $"@TGS#order{i}").ToList();

        // Each event goes through the receiver once; its queued envelope is then replayed as the queue trigger would.
        var envelopes = new Dictionary<string, List<string>>();
        foreach (var groupId in groups)
        {
            envelopes[groupId] = [];
            foreach (var (command, body) in Events(groupId))
            {
                var reply = await App.PostAsync(command, body);
                Assert.Equal(200, reply.StatusCode);
                envelopes[groupId].Add(Assert.Single(await QueuedEventsAsync()).Body.ToString());
            }
        }

        await Task.WhenAll(groups.Select(async (groupId, index) =>
        {
            var order = envelopes[groupId].OrderBy(_ => random.Next()).ToList();
            // Some groups get one event twice.
            if (index % 3 == 0)
                order.Insert(random.Next(order.Count), order[random.Next(order.Count)]);
            if (index < SequentialGroups)
            {
                foreach (var envelope in order)
                    await App.SynchronizeAsync(envelope);
            }
            else
            {
                await Task.WhenAll(order.Select(envelope => Task.Run(() => App.SynchronizeAsync(envelope))));
            }
        }));

        var rows = await RowsAsync(StorageNames.MessageTable);
        Assert.Equal(groups.Count, rows.Count);
        var expected = Comparable(rows[0]);
        Assert.All(rows, row => Assert.Equal(expected, Comparable(row)));
        Assert.Equal(true, rows[0].GetBoolean("Recalled"));
        Assert.Equal((1000L, "bob"), (rows[0].GetInt64("RecalledAt"), rows[0].GetString("RecalledBy")));
        Assert.Equal("""{"b":{"Value":"2b","Seq":62},"c":{"Value":"3","Seq":62}}""", rows[0].GetString("Extensions"));
        Assert.Equal((62L, 4L, 3L), (rows[0].GetInt64("ExtensionSeq"), rows[0].GetInt64("ReadNum"), rows[0].GetInt64("UnreadNum")));
        Assert.Equal("hello", rows[0].GetString("Text"));
        Assert.Equal(groups.Count * 3, (await RowsAsync(StorageNames.ReaderTable)).Count);
        Assert.All(await RowsAsync(StorageNames.SummaryTable), summary => Assert.Equal(MsgSeq, summary.GetInt64("MsgSeq")));
        Assert.Empty(await TakeAllAsync(StorageNames.PoisonQueue));
    }

    /// <summary>Everything but what differs by group by design: its keys, its GroupId, and the storage service's own columns.</summary>
    private static string Comparable(TableEntity row) => string.Join("\n", row
        .Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag" or "GroupId"))
        .OrderBy(p => p.Key, StringComparer.Ordinal)
        .Select(p => $"{p.Key}={p.Value}"));
}
