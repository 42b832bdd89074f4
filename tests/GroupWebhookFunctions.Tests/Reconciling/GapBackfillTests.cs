using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;
using GroupWebhookFunctions.Testing;

namespace GroupWebhookFunctions.Tests.Reconciling;

public class GapBackfillTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Group = "@TGS#1RECONCILE";

    [Fact]
    public async Task Seqs_whose_webhooks_never_came_are_backfilled_with_the_columns_a_webhook_gives()
    {
        Tencent.AddMany(Group, null, 10, Now - 900);
        await ReceiveAsync(Group, [1, 2, 5, 10]);

        var report = await PassAsync();

        var rows = await MessageRowsAsync(Group);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), rows.Keys.Order());
        foreach (var seq in new long[] { 3, 4, 6, 7, 8, 9 })
        {
            var row = rows[seq];
            Assert.NotNull(row.GetDateTimeOffset(GroupMessageColumns.BackfilledAt));
            Assert.Equal(seq, row.GetInt64(GroupMessageFields.MsgSeq));
            Assert.Equal(Group, row.GetString(GroupMessageFields.GroupId));
            Assert.Equal("user" + (seq % 7), row.GetString(GroupMessageFields.FromAccount));
            Assert.Equal(1000 + seq, row.GetInt64(GroupMessageFields.Random));
            Assert.Equal(Now - 900 + seq - 1, row.GetInt64(GroupMessageFields.MsgTime));
            Assert.Equal($"message {seq}", row.GetString(GroupMessageColumns.Text));
            Assert.Contains("TIMTextElem", row.GetString(GroupMessageFields.MsgBody));
            Assert.Null(row.GetString(GroupMessageFields.MsgId));
            Assert.Null(row.GetString(GroupMessageColumns.ReceivedAt));
        }
        Assert.Null(rows[5].GetDateTimeOffset(GroupMessageColumns.BackfilledAt));
        var summary = await SummaryAsync(Group);
        Assert.Equal(10, summary.GetInt64(GroupMessageColumns.CompleteThroughSeq));
        Assert.Equal(6, summary.GetInt64(GroupMessageColumns.BackfilledCount));
        Assert.Equal(0, summary.GetInt64(GroupMessageColumns.AbsentCount));
        Assert.NotNull(summary.GetDateTimeOffset(GroupMessageColumns.LastReconciledAt));
        Assert.Equal((2, 6, 0), (report.GapsFound, report.Backfilled, report.Errors));
        // One call for 3..4 and one for 6..9: at most 1/20 of a call per message plus one per gap.
        Assert.Equal(2, Tencent.HistoryCalls.Count);
    }

    [Fact]
    public async Task A_complete_store_costs_no_call_and_a_second_pass_nothing_at_all()
    {
        Tencent.AddMany(Group, null, 5, Now - 900);
        await ReceiveAsync(Group, [1, 2, 3, 4, 5], ageSeconds: 30);

        var first = await PassAsync();
        var second = await PassAsync();

        Assert.Empty(Tencent.Calls);
        Assert.Equal((1, 0), (first.ConversationsChecked, first.GapsFound));
        Assert.Equal(0, second.ConversationsChecked);
        Assert.Equal(5, (await SummaryAsync(Group)).GetInt64(GroupMessageColumns.CompleteThroughSeq));
    }

    [Fact]
    public async Task A_missing_seq_younger_than_the_grace_period_is_not_a_gap_yet()
    {
        Tencent.AddMany(Group, null, 3, Now - 10);
        await ReceiveAsync(Group, [1, 3], ageSeconds: 10);

        await PassAsync();
        Assert.Empty(Tencent.Calls);
        Assert.Equal(1, (await SummaryAsync(Group)).GetInt64(GroupMessageColumns.CompleteThroughSeq));

        Clock.Advance(TimeSpan.FromSeconds(121));
        await PassAsync();

        Assert.True((await MessageRowsAsync(Group)).ContainsKey(2));
        Assert.Equal(3, (await SummaryAsync(Group)).GetInt64(GroupMessageColumns.CompleteThroughSeq));
    }

    [Fact]
    public async Task A_quiet_groups_lost_tail_is_filled_once_and_not_asked_for_again()
    {
        Tencent.AddMany(Group, null, 5, Now - 900);
        await ReceiveAsync(Group, [1, 2, 3]);
        await PassAsync();
        Assert.Empty(Tencent.Calls);

        Clock.Advance(TimeSpan.FromMinutes(11));
        var report = await PassAsync();
        await PassAsync();
        Clock.Advance(TimeSpan.FromMinutes(30));
        await PassAsync();

        Assert.Equal([1, 2, 3, 4, 5], (await MessageRowsAsync(Group)).Keys.Order());
        var summary = await SummaryAsync(Group);
        Assert.Equal((5L, 5L, 5L), (summary.GetInt64(GroupMessageFields.MsgSeq)!.Value, summary.GetInt64(GroupMessageColumns.CompleteThroughSeq)!.Value,
            summary.GetInt64(GroupMessageColumns.TailCheckedThroughSeq)!.Value));
        Assert.Equal(1, report.TailChecks);
        // The newest seq once (from the group's profile), then the tail 4..5: never again while the group stays quiet.
        Assert.Single(Tencent.CallsTo(TencentRestDouble.GroupInfoPath));
        Assert.Equal(5, Assert.Single(Tencent.HistoryCalls).ReqMsgSeq);
    }

    [Fact]
    public async Task A_group_that_gets_a_new_message_is_tail_checked_again_once_quiet()
    {
        Tencent.AddMany(Group, null, 4, Now - 900);
        await ReceiveAsync(Group, [1, 2]);
        Clock.Advance(TimeSpan.FromMinutes(11));
        await PassAsync();
        Assert.Equal(2, Tencent.HistoryCalls.Count);

        Tencent.Add(Group, null, TencentRestDouble.Message(5, Now));
        Tencent.Add(Group, null, TencentRestDouble.Message(6, Now));
        await ReceiveAsync(Group, [5], ageSeconds: 0);
        Clock.Advance(TimeSpan.FromMinutes(11));
        await PassAsync();

        Assert.Equal([1, 2, 3, 4, 5, 6], (await MessageRowsAsync(Group)).Keys.Order());
        Assert.Equal(4, Tencent.HistoryCalls.Count);
    }

    [Fact]
    public async Task Holes_are_recorded_absent_and_recalled_seqs_recalled()
    {
        Tencent.AddMany(Group, null, 6, Now - 900);
        Tencent.Remove(Group, null, 3);
        Tencent.Recall(Group, null, 4);
        await ReceiveAsync(Group, [1, 6]);

        var report = await PassAsync();

        var rows = await MessageRowsAsync(Group);
        Assert.True(rows[3].GetBoolean(GroupMessageColumns.Absent));
        Assert.Null(rows[3].GetString(GroupMessageFields.MsgBody));
        Assert.True(rows[4].GetBoolean(GroupMessageColumns.Recalled));
        Assert.Null(rows[2].GetBoolean(GroupMessageColumns.Recalled));
        Assert.Null(rows[2].GetBoolean(GroupMessageColumns.Absent));
        var summary = await SummaryAsync(Group);
        Assert.Equal(6, summary.GetInt64(GroupMessageColumns.CompleteThroughSeq));
        Assert.Equal(1, summary.GetInt64(GroupMessageColumns.AbsentCount));
        Assert.Equal((3, 1, 1), (report.Backfilled, report.Recalled, report.Absent));
    }

    [Fact]
    public async Task Seqs_past_Tencents_retention_close_the_gap_as_absent()
    {
        Tencent.AddMany(Group, null, 50, Now - 900);
        Tencent.RetentionFloor = 30;
        await ReceiveAsync(Group, [1, 50]);

        await PassAsync();

        var rows = await MessageRowsAsync(Group);
        Assert.Equal(50, rows.Count);
        Assert.All(Enumerable.Range(2, 28), seq => Assert.True(rows[seq].GetBoolean(GroupMessageColumns.Absent)));
        Assert.All(Enumerable.Range(30, 20), seq => Assert.NotNull(rows[seq].GetString(GroupMessageFields.MsgBody)));
        Assert.Equal(50, (await SummaryAsync(Group)).GetInt64(GroupMessageColumns.CompleteThroughSeq));
    }

    [Fact]
    public async Task A_webhook_arriving_after_the_backfill_fills_in_the_same_row()
    {
        Tencent.AddMany(Group, null, 3, Now - 900);
        await ReceiveAsync(Group, [1, 3]);
        await PassAsync();
        var backfilled = (await MessageRowsAsync(Group))[2];

        var late = CallbackRequests.Message(Group, 2, text: "message 2", msgTime: backfilled.GetInt64(GroupMessageFields.MsgTime)!.Value, msgId: "144115-2");
        Assert.Equal(200, (await App.PostAsync(AfterSendMsg.Command, late)).StatusCode);
        await SynchronizeQueuedAsync();

        var rows = (await RowsAsync(StorageNames.MessageTable)).Where(r => r.PartitionKey == TableKeys.EscapeKey(Group)).ToList();
        Assert.Equal(3, rows.Count);
        var row = rows.Single(r => r.RowKey == TableKeys.SequenceRow(2));
        Assert.Equal("144115-2", row.GetString(GroupMessageFields.MsgId));
        Assert.Equal("Public", row.GetString(GroupMessageFields.Type));
        Assert.NotNull(row.GetDateTimeOffset(GroupMessageColumns.ReceivedAt));
        Assert.NotNull(row.GetDateTimeOffset(GroupMessageColumns.BackfilledAt));
    }
}
