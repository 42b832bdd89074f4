using Azure.Data.Tables;
using GroupWebhookFunctions.Reconciling.Discovery;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Testing;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Reconciling;

/// <summary>Groups and topics Tencent has and the store never saw are found by discovery and healed by the next pass, from when reconciliation started.</summary>
public class DiscoveryTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Older = "@TGS#1OLDERGROUP";
    private const string Newer = "@TGS#1NEWERGROUP";
    private const string Live = "@TGS#aLIVEROOM";
    private const string Community = "@TGS#_@TGS#cCOMMUNITY";
    private const string NewTopic = Community + "@TOPIC#_new";
    private const string OldTopic = Community + "@TOPIC#_old";

    private Task<DiscoveryReport> DiscoverAsync() => App.Get<GroupDiscoverer>().RunAsync(CancellationToken.None);

    [Fact]
    public async Task Groups_and_topics_never_seen_are_found_and_only_their_messages_since_reconciliation_started_are_backfilled()
    {
        var started = Now;
        await PassAsync();
        Tencent.Directory[Older] = new DoubleGroup(CreateTime: started - 7200);
        Tencent.AddMany(Older, null, 5, started - 3600);
        Tencent.AddMany(Older, null, 3, started + 600, fromSeq: 6);
        Tencent.Directory[Newer] = new DoubleGroup(CreateTime: started + 60);
        Tencent.AddMany(Newer, null, 3, started + 100);
        Tencent.Directory[Live] = new DoubleGroup("AVChatRoom", started - 7200);
        Tencent.Directory[Community] = new DoubleGroup("Community", started - 7200, TopicsEnabled: true);
        Tencent.TopicsMade[(Community, NewTopic)] = started + 100;
        Tencent.AddMany(Community, NewTopic, 4, started + 200);
        Tencent.TopicsMade[(Community, OldTopic)] = started - 7000;
        Tencent.AddMany(Community, OldTopic, 2, started - 3000);
        Tencent.GoneGroups["@TGS#1DISBANDED"] = true;
        Clock.Advance(TimeSpan.FromHours(1));

        var found = await DiscoverAsync();
        var pass = await PassAsync();

        Assert.Equal((4, 2, true), (found.GroupsFound, found.TopicsFound, found.ListedAll));
        Assert.Equal([6L, 7, 8], (await MessageRowsAsync(Older)).Keys.Order());
        Assert.Equal([1L, 2, 3], (await MessageRowsAsync(Newer)).Keys.Order());
        Assert.Equal([1L, 2, 3, 4], (await MessageRowsAsync(Community, NewTopic)).Keys.Order());
        Assert.Empty(await MessageRowsAsync(Community, OldTopic));
        Assert.Empty(await MessageRowsAsync(Live));
        Assert.Equal(3 + 3 + 4, pass.Backfilled);
        var older = await SummaryAsync(Older);
        Assert.Equal((8L, 8L), (older.GetInt64(GroupMessageFields.MsgSeq)!.Value, older.GetInt64(GroupMessageColumns.CompleteThroughSeq)!.Value));
        Assert.NotNull(older.GetDateTimeOffset(DiscoveredColumns.DiscoveredAt));
        Assert.Equal("AVChatRoom", (await SummaryAsync(Live)).GetString(GroupMessageFields.Type));
        Assert.True((await SummaryAsync(Community)).GetBoolean(DiscoveredColumns.TopicsEnabled));
        // Neither the live room nor the community's own row costs a history call.
        Assert.DoesNotContain(Tencent.CallsTo(TencentRestDouble.HistoryPath), c => c.GroupId == Live || (c.GroupId == Community && c.TopicId is null));
        Assert.Equal(started, (await App.Get<ReconcileState>().StartedAtAsync(CancellationToken.None)).ToUnixTimeSeconds());

        // Found once: a second run finds nothing new and the pass after it pulls nothing.
        var again = await DiscoverAsync();
        Assert.Equal((0, 0), (again.GroupsFound, again.TopicsFound));
        Assert.Equal(0, (await PassAsync()).Backfilled);
    }

    [Fact]
    public async Task A_new_topic_of_a_community_the_store_knows_is_found()
    {
        Tencent.Directory[Community] = new DoubleGroup("Community", 0, TopicsEnabled: true);
        Tencent.AddMany(Community, OldTopic, 2, Now - 60);
        await ReceiveAsync(Community, [1, 2], ageSeconds: 60, type: "Community", topicId: OldTopic);
        await SummarySeed.WriteAsync(Azurite, [SummarySeed.Row(Community, null, 0, Clock.GetUtcNow(), "Community")]);
        var started = Now;
        await PassAsync();
        Tencent.TopicsMade[(Community, NewTopic)] = started + 10;
        Tencent.AddMany(Community, NewTopic, 3, started + 20);
        Clock.Advance(TimeSpan.FromMinutes(30));

        var found = await DiscoverAsync();
        await PassAsync();

        Assert.Equal((0, 1), (found.GroupsFound, found.TopicsFound));
        Assert.Equal([1L, 2, 3], (await MessageRowsAsync(Community, NewTopic)).Keys.Order());
    }

    [Fact]
    public async Task A_topic_of_a_community_found_with_no_topics_yet_is_found_later()
    {
        var started = Now;
        await PassAsync();
        Tencent.Directory[Community] = new DoubleGroup("Community", started - 7200, TopicsEnabled: true);
        Clock.Advance(TimeSpan.FromMinutes(10));
        var first = await DiscoverAsync();
        Tencent.TopicsMade[(Community, NewTopic)] = Now;
        Tencent.AddMany(Community, NewTopic, 3, Now + 10);
        Clock.Advance(TimeSpan.FromMinutes(30));

        var found = await DiscoverAsync();
        await PassAsync();

        Assert.Equal((1, 0), (first.GroupsFound, first.TopicsFound));
        Assert.Equal(1, found.TopicsFound);
        Assert.Equal([1L, 2, 3], (await MessageRowsAsync(Community, NewTopic)).Keys.Order());
        Assert.DoesNotContain(Tencent.CallsTo(TencentRestDouble.HistoryPath), c => c.GroupId == Community && c.TopicId is null);
    }

    [Fact]
    public async Task A_profile_call_refused_as_a_whole_for_one_group_does_not_hold_back_the_rest()
    {
        var groups = Enumerable.Range(0, 60).Select(i => $"@TGS#1POISON{i:D3}").ToList();
        foreach (var group in groups)
            Tencent.Directory[group] = new DoubleGroup(CreateTime: 0);
        Tencent.RefusedAsWhole[groups[10]] = true;

        var first = await DiscoverAsync();
        var second = await DiscoverAsync();

        Assert.Equal(59, first.GroupsFound + second.GroupsFound);
        var rows = (await RowsAsync(StorageNames.SummaryTable)).Select(r => r.GetString(GroupMessageFields.GroupId));
        Assert.Equal(groups.Where((_, i) => i != 10), rows.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Messages_since_reconciliation_started_below_the_first_webhook_heard_are_backfilled()
    {
        Tencent.Directory[Newer] = new DoubleGroup(CreateTime: 0);
        await PassAsync();
        Clock.Advance(TimeSpan.FromMinutes(5));
        Tencent.AddMany(Newer, null, 3, Now - 60);
        // The webhooks of 1 and 2, sent since reconciliation started, were lost: 3's is the first the store hears.
        await ReceiveAsync(Newer, [3], ageSeconds: 58);
        Clock.Advance(TimeSpan.FromMinutes(30));

        await DiscoverAsync();
        await PassAsync();

        Assert.Equal([1L, 2, 3], (await MessageRowsAsync(Newer)).Keys.Order());
    }

    [Fact]
    public async Task A_listing_cut_short_resumes_from_its_cursor()
    {
        Settings["Reconcile:DiscoverPageSize"] = "10";
        Settings["Reconcile:MaxCallsPerSecond"] = "5";
        Settings["Reconcile:MaxPassSeconds"] = "2";
        var groups = Enumerable.Range(0, 60).Select(i => $"@TGS#1MANY{i:D3}").ToList();
        foreach (var group in groups)
            Tencent.Directory[group] = new DoubleGroup(CreateTime: 0);

        var runs = new List<DiscoveryReport>();
        while (runs.Count < 20 && (runs.Count == 0 || !runs[^1].ListedAll))
            runs.Add(await DiscoverAsync());

        Assert.True(runs.Count > 1, "one run listed every group: the cut was not exercised");
        Assert.False(runs[0].ListedAll);
        Assert.Equal(60, runs.Sum(r => r.GroupsFound));
        var rows = (await RowsAsync(StorageNames.SummaryTable)).Select(r => r.GetString(GroupMessageFields.GroupId)).Order(StringComparer.Ordinal);
        Assert.Equal(groups, rows);
        // Each run went on from where the last stopped: never from the first page again.
        Assert.Single(Tencent.CallsTo(TencentRestDouble.GroupListPath), c => c.Body!.Contains("\"Next\":0", StringComparison.Ordinal));
        // get_appid_group_list at most once a second, whatever the shared budget (5 here) allows.
        var starts = Tencent.CallsTo(TencentRestDouble.GroupListPath).Select(c => c.Timestamp).Order().ToList();
        // Arrivals, not starts: on a loaded machine one call may be held on its way for most of a second and arrive
        // just before the next, so the rate is asserted over the whole listing, with half a second for that delay.
        Assert.True(starts.Count >= 6);
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(starts[0], starts[^1]) >= TimeSpan.FromSeconds(starts.Count - 1.5));
    }

    [Fact]
    public async Task Health_shows_the_discovery_schedule()
    {
        Settings["Reconcile:DiscoverSchedule"] = "0 0 * * * *";

        var (status, body) = await App.OperateAsync((f, r) => f.HealthAsync(r, CancellationToken.None));

        Assert.Equal(200, status);
        Assert.Equal("0 0 * * * *", body.GetProperty("Configuration").GetProperty("DiscoverSchedule").GetString());
    }
}
