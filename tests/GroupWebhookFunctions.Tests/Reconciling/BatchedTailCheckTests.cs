using GroupWebhookFunctions.Reconciling.Discovery;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Testing;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Reconciling;

/// <summary>Quiet groups' and topics' newest seqs come 50 to a call; only those Tencent has more of are pulled; ended groups cost no history call.</summary>
public class BatchedTailCheckTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Community = "@TGS#_@TGS#cBATCHED";

    private static string Group(int i) => $"@TGS#1QUIET{i:D4}";

    private static string Topic(int i) => $"{Community}@TOPIC#_t{i:D3}";

    [Fact]
    public async Task Quiet_groups_and_topics_are_tail_checked_fifty_to_a_call_and_only_those_behind_are_pulled()
    {
        var now = Clock.GetUtcNow();
        Tencent.Directory[Community] = new DoubleGroup("Community", 0, TopicsEnabled: true);
        for (var i = 0; i < 120; i++)
            Tencent.AddMany(Group(i), null, i % 40 == 0 ? 5 : 3, Now - 7200);
        for (var i = 0; i < 60; i++)
            Tencent.AddMany(Community, Topic(i), i == 7 ? 4 : 2, Now - 7200);
        await SummarySeed.WriteAsync(Azurite, [
            .. Enumerable.Range(0, 120).Select(i => SummarySeed.Row(Group(i), null, 3, now)),
            .. Enumerable.Range(0, 60).Select(i => SummarySeed.Row(Community, Topic(i), 2, now, "Community")),
        ]);

        var report = await PassAsync();

        var profiles = Tencent.CallsTo(TencentRestDouble.GroupInfoPath);
        Assert.Equal(3, profiles.Count);
        Assert.All(profiles, call => Assert.Contains("\"ResponseFilter\":{\"GroupBaseInfoFilter\":[\"Type\",\"NextMsgSeq\"]}", call.Body, StringComparison.Ordinal));
        Assert.Equal(120, profiles.Sum(c => c.ReqMsgNumber));
        Assert.Equal(2, Tencent.CallsTo(TencentRestDouble.TopicPath).Count);
        Assert.Equal(5, report.TailCheckCalls);
        // Groups 0, 40 and 80 have 4..5, topic 7 has 3..4: one page each, and no other conversation is asked for history.
        var pulled = Tencent.CallsTo(TencentRestDouble.HistoryPath);
        Assert.Equal([Group(0), Group(40), Group(80), Community], pulled.Select(c => c.GroupId!).Order(StringComparer.Ordinal));
        Assert.Equal(Topic(7), pulled.Single(c => c.GroupId == Community).TopicId);
        Assert.Equal([4L, 5], (await MessageRowsAsync(Group(40))).Keys.Order());
        Assert.Equal([3L, 4], (await MessageRowsAsync(Community, Topic(7))).Keys.Order());
        Assert.Equal(3, (await SummaryAsync(Group(1))).GetInt64(GroupMessageColumns.TailCheckedThroughSeq));

        // Checked once while they stay quiet.
        await PassAsync();
        Assert.Equal(3, Tencent.CallsTo(TencentRestDouble.GroupInfoPath).Count);
    }

    [Fact]
    public async Task AVChatRoom_and_disbanded_groups_cost_no_history_call()
    {
        var now = Clock.GetUtcNow();
        const string Live = "@TGS#aLIVE", Disbanded = "@TGS#1DISBANDED", TurnedLive = "@TGS#aUNTYPED", Gone = "@TGS#1GONE";
        foreach (var group in new[] { Live, Disbanded, TurnedLive, Gone })
            Tencent.AddMany(group, null, 5, Now - 7200);
        Tencent.Directory[Live] = new DoubleGroup("AVChatRoom");
        Tencent.Directory[TurnedLive] = new DoubleGroup("AVChatRoom");
        Tencent.GoneGroups[Gone] = true;
        var disbanded = SummarySeed.Row(Disbanded, null, 3, now);
        disbanded[GroupMessageColumns.Disbanded] = true;
        await SummarySeed.WriteAsync(Azurite, [SummarySeed.Row(Live, null, 3, now, "AVChatRoom"), disbanded, SummarySeed.Row(TurnedLive, null, 3, now, type: null),
            SummarySeed.Row(Gone, null, 3, now)]);

        await PassAsync();
        await PassAsync();

        Assert.Empty(Tencent.CallsTo(TencentRestDouble.HistoryPath));
        // The two rows not known ended share one profile call, which says what they are.
        var profile = Assert.Single(Tencent.CallsTo(TencentRestDouble.GroupInfoPath));
        Assert.Equal(2, profile.ReqMsgNumber);
        Assert.Equal("AVChatRoom", (await SummaryAsync(TurnedLive)).GetString(GroupMessageFields.Type));
        Assert.True((await SummaryAsync(Gone)).GetBoolean(GroupMessageColumns.GroupGone));
    }

    [Fact]
    public async Task A_pass_out_of_time_resumes_from_its_cursor_and_passes_together_cover_every_group()
    {
        Settings["Reconcile:MaxCallsPerSecond"] = "2";
        Settings["Reconcile:PassChunkSize"] = "50";
        Settings["Reconcile:MaxPassSeconds"] = "2";
        var now = Clock.GetUtcNow();
        for (var i = 0; i < 400; i++)
            Tencent.AddMany(Group(i), null, 2, Now - 7200);
        await SummarySeed.WriteAsync(Azurite, Enumerable.Range(0, 400).Select(i => SummarySeed.Row(Group(i), null, 2, now)));

        var first = await PassAsync();

        Assert.False(first.ReachedEnd);
        var cursor = await App.Get<ReconcileState>().CursorAsync(ReconcileState.PassRow, CancellationToken.None);
        Assert.NotNull(cursor);
        var rows = await RowsAsync(StorageNames.SummaryTable);
        var throughCursor = rows.Where(r => string.CompareOrdinal(r.PartitionKey, cursor) <= 0).ToList();
        Assert.InRange(throughCursor.Count, 50, 350);
        Assert.All(throughCursor, row => Assert.Equal(2, row.GetInt64(GroupMessageColumns.TailCheckedThroughSeq)));
        Assert.Contains(rows, row => row.GetInt64(GroupMessageColumns.TailCheckedThroughSeq) is null);

        var callsBefore = Tencent.CallsTo(TencentRestDouble.GroupInfoPath).Count;
        var passes = 1;
        for (var last = first; !last.ReachedEnd && passes < 20; passes++)
            last = await PassAsync();

        // The second pass asked first for the group after the cursor, not the first group again.
        var resumed = Tencent.CallsTo(TencentRestDouble.GroupInfoPath)[callsBefore];
        Assert.DoesNotContain(Group(0), resumed.Body, StringComparison.Ordinal);
        Assert.All(await RowsAsync(StorageNames.SummaryTable), row => Assert.Equal(2, row.GetInt64(GroupMessageColumns.TailCheckedThroughSeq)));
        // Every group asked for once, give or take a call the budget cut off in flight each pass.
        Assert.InRange(Tencent.CallsTo(TencentRestDouble.GroupInfoPath).Sum(c => c.ReqMsgNumber), 400, 400 + (50 * passes));
        Assert.Null(await App.Get<ReconcileState>().CursorAsync(ReconcileState.PassRow, CancellationToken.None));
    }
    [Fact]
    public async Task A_profile_call_refused_as_a_whole_with_a_group_error_leaves_its_groups_checked_one_by_one()
    {
        var now = Clock.GetUtcNow();
        for (var i = 0; i < 3; i++)
            Tencent.AddMany(Group(i), null, i == 1 ? 5 : 3, Now - 7200);
        await SummarySeed.WriteAsync(Azurite, Enumerable.Range(0, 3).Select(i => SummarySeed.Row(Group(i), null, 3, now)));
        // The call's own ErrorCode, not an entry's: Tencent's reply to an ID list it rejects as a whole.
        Tencent.FailNext(1, 10015);

        var report = await PassAsync();

        Assert.Null(report.StoppedBecause);
        Assert.Equal([4L, 5], (await MessageRowsAsync(Group(1))).Keys.Order());
        Assert.Null((await SummaryAsync(Group(0))).GetBoolean(GroupMessageColumns.GroupGone));
    }
}
