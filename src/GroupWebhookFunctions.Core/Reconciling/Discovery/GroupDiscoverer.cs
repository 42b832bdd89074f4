using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Reconciling.Discovery;

/// <summary>
/// One discovery run: lists the app's groups a page at a time (<c>get_appid_group_list</c>, 1 call a second) from
/// where the last run stopped, and gives every group the store lacks its summary row (profiles 50 a call), and every
/// topic of a Community the store lacks its own. Passes then reconcile them like any other. A group Tencent no
/// longer lists is left as it is. Stops within <see cref="ReconcileOptions.MaxPassSeconds"/>, saving where it got.
/// </summary>
public sealed class GroupDiscoverer
{
    private readonly GroupList _list;
    private readonly GroupInfo _profiles;
    private readonly IGroupMessageStore _store;
    private readonly ReconcileState _state;
    private readonly BackfillFloor _floor;
    private readonly TopicFinder _topics;
    private readonly TencentChatOptions _chat;
    private readonly ReconcileOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<GroupDiscoverer> _log;
    private readonly GroupWebhookMetrics _metrics;

    public GroupDiscoverer(GroupList list, GroupInfo profiles, TopicInfo topics, GroupHistory history, IGroupMessageStore store, ReconcileState state,
        TencentChatOptions chat, ReconcileOptions options, TimeProvider clock, ILogger<GroupDiscoverer> log, GroupWebhookMetrics metrics)
    {
        (_list, _profiles, _store, _state, _chat, _options, _clock, _log, _metrics) = (list, profiles, store, state, chat, options, clock, log, metrics);
        _floor = new BackfillFloor(history);
        _topics = new TopicFinder(topics, store, _floor, clock, metrics);
    }

    public async Task<DiscoveryReport> RunAsync(CancellationToken cancellationToken)
    {
        if (!_chat.ReconcilesHistory)
            return DiscoveryReport.Off;
        var since = (await _state.StartedAtAsync(cancellationToken).ConfigureAwait(false)).ToUnixTimeSeconds();
        var cursor = DirectoryCursor.Parse(await _state.CursorAsync(ReconcileState.DiscoveryRow, cancellationToken).ConfigureAwait(false));
        var tally = new DiscoveryTally();
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(_options.MaxPassSeconds), TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var listedAll = false;
        string? stoppedBecause = null;
        try
        {
            while (!listedAll)
            {
                Interlocked.Increment(ref tally.Calls);
                var page = await _list.PageAsync(cursor.Next, _options.DiscoverPageSize, null, stop.Token).ConfigureAwait(false);
                tally.Listed += page.GroupIds.Count - Math.Min(cursor.Done, page.GroupIds.Count);
                foreach (var batch in page.GroupIds.Skip(cursor.Done).Chunk(GroupInfo.MaxPerCall))
                {
                    await FindAsync(batch, since, tally, stop.Token).ConfigureAwait(false);
                    cursor = cursor with { Done = cursor.Done + batch.Length };
                    await _state.SaveCursorAsync(ReconcileState.DiscoveryRow, cursor.ToString(), stop.Token).ConfigureAwait(false);
                }
                listedAll = page.Next == 0 || page.GroupIds.Count == 0;
                cursor = new DirectoryCursor(page.Next, 0);
                await _state.SaveCursorAsync(ReconcileState.DiscoveryRow, listedAll ? null : cursor.ToString(), stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            DiscoveryLog.OutOfTime(_log, _options.MaxPassSeconds);
        }
        catch (Exception ex) when (TencentApiException.MeaningOf(ex) is not null)
        {
            // Listing or profiles failed: the cursor holds what was done; the next run goes on from there.
            stoppedBecause = ex.Message;
            DiscoveryLog.Stopped(_log, ex.Message);
        }
        var report = tally.Report(listedAll, stoppedBecause);
        DiscoveryLog.Run(_log, report.Listed, report.GroupsFound, report.TopicsFound, report.Calls, report.ListedAll);
        cancellationToken.ThrowIfCancellationRequested();
        return report;
    }

    /// <summary>The groups of one batch the store lacks get rows; every Community, known or not, has its topics looked for.</summary>
    private async Task FindAsync(IReadOnlyList<string> groupIds, long since, DiscoveryTally tally, CancellationToken cancellationToken)
    {
        var stored = await Task.WhenAll(groupIds.Select(id => DiscoveredRow.StoredAsync(_store, new Conversation(id, null), cancellationToken))).ConfigureAwait(false);
        var missing = groupIds.Where((_, index) => stored[index] is null).ToList();
        foreach (var (community, row) in groupIds.Zip(stored).Where(known => DiscoveredRow.IsCommunity(known.Second?.GetString(GroupMessageFields.Type))))
        {
            // Only a community known to have topics costs a call: a million plain communities would otherwise cost a million calls a run.
            if (row!.GetBoolean(DiscoveredColumns.TopicsEnabled) == true || await DiscoveredRow.HasTopicRowAsync(_store, community, cancellationToken).ConfigureAwait(false))
                await _topics.FindAsync(community, since, tally, cancellationToken).ConfigureAwait(false);
        }
        if (missing.Count == 0)
            return;
        foreach (var profile in await ProfilesAsync(missing, tally, cancellationToken).ConfigureAwait(false))
        {
            // Gone since it was listed, or refused: nothing to record (a pass never asks for it).
            if (profile.ErrorCode != 0)
                continue;
            var conversation = new Conversation(profile.GroupId, null);
            var topicsEnabled = DiscoveredRow.IsCommunity(profile.Type) && await _topics.FindAsync(profile.GroupId, since, tally, cancellationToken).ConfigureAwait(false);
            long? before = DiscoveredRow.HasNoHistory(profile.Type) || topicsEnabled
                ? null
                : await _floor.LastBeforeAsync(conversation, profile.Newest ?? 0, profile.CreateTime, profile.LastMsgTime, since, tally.History, cancellationToken).ConfigureAwait(false);
            var row = DiscoveredRow.Of(conversation, profile.Type, before, topicsEnabled, _clock.GetUtcNow());
            if (await _store.AddRowAsync(GroupTable.Summaries, row, cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref tally.GroupsFound);
                _metrics.Discovered(DiscoveryKind.Group);
            }
        }
    }

    /// <summary>
    /// Profiles of up to 50 groups in one call. A call refused as a whole with 10010/10015 names no group of the batch:
    /// each is then asked for alone, so one gone or invalid ID does not stop every run at the same batch; one refused
    /// alone is skipped like an entry with an error.
    /// </summary>
    private async Task<IReadOnlyList<GroupProfile>> ProfilesAsync(List<string> groupIds, DiscoveryTally tally, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref tally.Calls);
        try
        {
            return await _profiles.ReadAsync(groupIds, GroupInfo.DiscoveryFields, cancellationToken).ConfigureAwait(false);
        }
        catch (TencentApiException ex) when (ex.Failure == RestFailure.GroupGone)
        {
            if (groupIds.Count == 1)
                return [];
            var profiles = new List<GroupProfile>();
            foreach (var id in groupIds)
                profiles.AddRange(await ProfilesAsync([id], tally, cancellationToken).ConfigureAwait(false));
            return profiles;
        }
    }
}
