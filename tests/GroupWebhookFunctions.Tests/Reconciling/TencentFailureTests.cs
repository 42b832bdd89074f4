using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Tests.Reconciling;

public class TencentFailureTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Group = "@TGS#1FAILURES";

    [Fact]
    public async Task An_expired_signature_is_renewed_and_the_call_made_once_more()
    {
        Tencent.AddMany(Group, null, 5, Now - 900);
        await ReceiveAsync(Group, [1, 3]);
        await PassAsync();
        await ReceiveAsync(Group, [5]);
        // Tencent's clock has passed the cached signature's expiry, though this app's renewal time has not come.
        Tencent.ExpireSigsMadeBefore = Now + 1;
        Clock.Advance(TimeSpan.FromSeconds(30));

        var report = await PassAsync();

        Assert.Equal(0, report.Errors);
        Assert.Equal([1, 2, 3, 4, 5], (await MessageRowsAsync(Group)).Keys.Order());
        Assert.Equal([0L, 70001L, 0L], Tencent.Calls.Select(c => c.ErrorCode));
    }

    [Fact]
    public async Task A_group_Tencent_says_is_gone_is_marked_and_never_asked_for_again()
    {
        Tencent.AddMany(Group, null, 3, Now - 900);
        Tencent.GoneGroups[Group] = true;
        await ReceiveAsync(Group, [1, 3]);

        await PassAsync();
        await ReceiveAsync(Group, [5]);
        Clock.Advance(TimeSpan.FromHours(1));
        await PassAsync();

        var summary = await SummaryAsync(Group);
        Assert.True(summary.GetBoolean(GroupMessageColumns.GroupGone));
        Assert.Single(Tencent.Calls);
        Assert.Equal(10010, Tencent.Calls[0].ErrorCode);
    }

    [Fact]
    public async Task A_topic_Tencent_says_is_gone_is_marked_alone_and_the_rest_of_its_community_goes_on()
    {
        const string Community = "@TGS#_GONETOPIC";
        const string Gone = Community + "@TOPIC#_gone";
        const string Kept = Community + "@TOPIC#_kept";
        Tencent.AddMany(Community, Kept, 6, Now - 900);
        await ReceiveAsync(Community, [1, 3], type: "Community", topicId: Gone);
        await ReceiveAsync(Community, [1, 3], type: "Community", topicId: Kept);

        await PassAsync();
        await ReceiveAsync(Community, [6], type: "Community", topicId: Kept);
        await PassAsync();

        Assert.True((await SummaryAsync(Community, Gone)).GetBoolean(GroupMessageColumns.GroupGone));
        Assert.Null((await SummaryAsync(Community, Kept)).GetBoolean(GroupMessageColumns.GroupGone));
        Assert.DoesNotContain(await RowsAsync(StorageNames.SummaryTable), row => row.PartitionKey == TableKeys.SummaryPartition(Community) && row.RowKey.Length == 0);
        Assert.Equal([1, 2, 3, 4, 5, 6], (await MessageRowsAsync(Community, Kept)).Keys.Order());
        Assert.Equal(6, (await SummaryAsync(Community, Kept)).GetInt64(GroupMessageColumns.CompleteThroughSeq));
    }

    [Fact]
    public async Task When_Tencent_is_down_nothing_is_poisoned_and_the_next_pass_heals()
    {
        Tencent.AddMany(Group, null, 4, Now - 900);
        await ReceiveAsync(Group, [1, 4]);
        Tencent.Down = true;

        var down = await PassAsync();
        Assert.NotNull(down.StoppedBecause);
        Assert.Equal([1, 4], (await MessageRowsAsync(Group)).Keys.Order());
        // The watermark stays below the gap: never written, or written where the stored messages end.
        Assert.Contains((await SummaryAsync(Group)).GetInt64(GroupMessageColumns.CompleteThroughSeq), new long?[] { null, 1 });

        Tencent.Down = false;
        var healed = await PassAsync();

        Assert.Null(healed.StoppedBecause);
        Assert.Equal([1, 2, 3, 4], (await MessageRowsAsync(Group)).Keys.Order());
        Assert.Empty(await TakeAllAsync(StorageNames.PoisonQueue));
        // Every attempt of the first pass was an HTTP 502, retried with backoff before the pass gave up.
        Assert.Equal(4, Tencent.Calls.Count(c => c.ErrorCode == 502));
    }

    [Fact]
    public async Task Retryable_codes_are_retried_and_the_pass_succeeds()
    {
        Tencent.AddMany(Group, null, 3, Now - 900);
        await ReceiveAsync(Group, [1, 3]);
        Tencent.FailNext(1, errorCode: 10002);
        Tencent.FailNext(1, errorCode: 70050);
        Tencent.FailNext(1, httpStatus: 503);

        var report = await PassAsync();

        Assert.Equal(0, report.Errors);
        Assert.True((await MessageRowsAsync(Group)).ContainsKey(2));
        Assert.Equal([10002L, 70050L, 503L, 0L], Tencent.Calls.Select(c => c.ErrorCode));
    }

    [Fact]
    public async Task A_call_refused_for_its_own_sake_is_not_retried_and_the_pass_goes_on()
    {
        Settings["Reconcile:Parallelism"] = "1";
        foreach (var group in new[] { Group, Group + "2" })
        {
            Tencent.AddMany(group, null, 3, Now - 900);
            await ReceiveAsync(group, [1, 3]);
        }
        Tencent.FailNext(1, errorCode: 10004);

        var report = await PassAsync();

        Assert.Equal((1, 1, (string?)null), (report.Errors, report.Backfilled, report.StoppedBecause));
        Assert.Equal([10004L, 0L], Tencent.Calls.Select(c => c.ErrorCode));
        Assert.Contains(App.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("ErrorCode 10004", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(70009, "TencentChat__SecretKey")]
    [InlineData(70013, "TencentChat__AdminIdentifier")]
    [InlineData(70016, "TencentChat__ApiBaseUrl")]
    [InlineData(60006, "TencentChat__SdkAppId")]
    public async Task A_configuration_error_stops_the_pass_with_one_error_naming_the_setting(long errorCode, string setting)
    {
        Settings["Reconcile:Parallelism"] = "1";
        foreach (var group in new[] { Group, Group + "2", Group + "3" })
        {
            Tencent.AddMany(group, null, 3, Now - 900);
            await ReceiveAsync(group, [1, 3]);
        }
        Tencent.FailNext(10, errorCode);

        var report = await PassAsync();

        Assert.Contains(setting, report.StoppedBecause);
        var errors = App.Logs.Entries.Where(e => e.Level == LogLevel.Error).ToList();
        Assert.Contains(setting, Assert.Single(errors).Message);
        Assert.DoesNotContain(SecretKey, App.Logs.AllText);
        // Not retried, and no further group asked once the settings were found wrong.
        Assert.Single(Tencent.Calls);
    }

    [Fact]
    public async Task AVChatRoom_groups_disbanded_groups_and_deleted_topics_are_never_asked_for()
    {
        const string Live = "@TGS#aLIVE";
        const string Community = "@TGS#_COMMUNITY";
        await ReceiveAsync(Live, [1, 5], type: MessageIdentity.AudioVideoGroupType);
        await ReceiveAsync(Group, [1, 5]);
        await ReceiveAsync(Community, [1, 5], type: "Community", topicId: Community + "@TOPIC#_a");
        var destroyed = LifecycleSamples.GroupDestroyed.Replace("@TGS#2J4SZEAEL", Group, StringComparison.Ordinal);
        Assert.Equal(200, (await App.PostAsync(AfterGroupDestroyed.Command, destroyed)).StatusCode);
        var topicDeleted = $$"""{"CallbackCommand":"Group.CallbackAfterTopicDestroyed","GroupId":"{{Community}}","Type":"Community","TopicIdList":["{{Community}}@TOPIC#_a"],"EventTime":1670574414123}""";
        Assert.Equal(200, (await App.PostAsync(AfterTopicDestroyed.Command, topicDeleted)).StatusCode);
        await SynchronizeQueuedAsync();
        Clock.Advance(TimeSpan.FromHours(1));

        var report = await PassAsync();

        Assert.Empty(Tencent.Calls);
        Assert.Equal(0, report.ConversationsChecked);
    }

    [Fact]
    public async Task A_topics_gaps_are_pulled_with_its_TopicId_into_its_own_partition()
    {
        const string Community = "@TGS#_COMMUNITY2";
        const string Topic = Community + "@TOPIC#_general";
        Tencent.AddMany(Community, Topic, 4, Now - 900);
        await ReceiveAsync(Community, [1, 4], type: "Community", topicId: Topic);

        await PassAsync();

        Assert.Equal([1, 2, 3, 4], (await MessageRowsAsync(Community, Topic)).Keys.Order());
        Assert.All(Tencent.HistoryCalls, call => Assert.Equal(Topic, call.TopicId));
        Assert.Equal(4, (await SummaryAsync(Community, Topic)).GetInt64(GroupMessageColumns.CompleteThroughSeq));
    }

    [Fact]
    public async Task Calls_never_exceed_the_configured_rate_in_any_second()
    {
        Settings["Reconcile:MaxCallsPerSecond"] = "10";
        Tencent.AddMany(Group, null, 500, Now - 3600);
        Tencent.AddMany(Group + "2", null, 200, Now - 3600);
        await ReceiveAsync(Group, [1, 500]);
        await ReceiveAsync(Group + "2", [1, 200]);

        var report = await PassAsync();

        Assert.Equal(25 + 10, Tencent.HistoryCalls.Count);
        Assert.Equal(0, report.Errors);
        var starts = Tencent.Calls.Select(c => c.Timestamp).Order().ToList();
        // Arrival times jitter on a busy machine: no 0.85-second window may hold more than 10 calls (unpaced, all 35
        // would arrive within a fraction of that), and the calls as a whole took at least their share of seconds.
        var frequency = (double)System.Diagnostics.Stopwatch.Frequency;
        for (var i = 10; i < starts.Count; i++)
            Assert.True((starts[i] - starts[i - 10]) / frequency >= 0.85, $"calls {i - 10} and {i} were {(starts[i] - starts[i - 10]) * 1000 / frequency:0} ms apart");
        Assert.True((starts[^1] - starts[0]) / frequency >= (starts.Count - 10) / 10.0 * 0.95);
    }

    [Fact]
    public async Task A_pass_that_uses_its_time_budget_stops_and_the_next_one_finishes_the_gap()
    {
        Settings["Reconcile:MaxCallsPerSecond"] = "10";
        Settings["Reconcile:MaxPassSeconds"] = "1";
        Tencent.AddMany(Group, null, 1002, Now - 3600);
        await ReceiveAsync(Group, [1, 1002]);

        var first = await PassAsync();

        Assert.Contains(App.Logs.Entries, e => e.Message == "Reconcile pass used its 1 s; the next pass goes on where it stopped");
        var partly = (await MessageRowsAsync(Group)).Count;
        Assert.InRange(partly, 3, 1001);
        // The watermark stays below the gap: never written, or written where the stored messages end.
        Assert.Contains((await SummaryAsync(Group)).GetInt64(GroupMessageColumns.CompleteThroughSeq), new long?[] { null, 1 });

        for (var pass = 0; pass < 10 && (await MessageRowsAsync(Group)).Count < 1002; pass++)
            await PassAsync();

        Assert.Equal(1002, (await MessageRowsAsync(Group)).Count);
        await PassAsync();
        Assert.Equal(1002, (await SummaryAsync(Group)).GetInt64(GroupMessageColumns.CompleteThroughSeq));
        Assert.Null(first.StoppedBecause);
    }
}
