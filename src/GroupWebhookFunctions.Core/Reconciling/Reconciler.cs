using Azure.Data.Tables;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;
using Microsoft.Extensions.Logging;
using static GroupWebhookFunctions.Synchronizing.GroupMessageColumns;

namespace GroupWebhookFunctions.Reconciling;

/// <summary>What one reconcile pass did.</summary>
public sealed record ReconcileReport(
    bool Enabled,
    int ConversationsChecked,
    int GapsFound,
    int Backfilled,
    int Recalled,
    int Absent,
    int TailChecks,
    int Rechecked,
    int Edited,
    int Calls,
    int Errors,
    string? StoppedBecause,
    int TailCheckCalls = 0,
    bool ReachedEnd = false)
{
    public static readonly ReconcileReport Off = new(false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);
}

/// <summary>
/// One pass over every group and topic the store knows: where the latest seq is above the watermark
/// (<c>CompleteThroughSeq</c>), find the missing seqs with a range query on the message rows, pull them from Tencent's
/// history and move the watermark; where a group has been quiet, ask once for its newest seq (the tail check).
/// AVChatRoom groups (no history), disbanded groups, deleted topics and groups Tencent says are gone are skipped.
/// Summaries are streamed from a stored cursor; quiet groups' newest seqs come 50 to a call.
/// A pass that cannot reach Tencent stops and leaves the rest for the next one: nothing is lost by waiting.
/// </summary>
public sealed class Reconciler(
    IGroupMessageStore store,
    HistoryPuller puller,
    EditFinder edits,
    TailChecker tails,
    Discovery.ReconcileState state,
    TencentChatOptions chat,
    ReconcileOptions options,
    TimeProvider clock,
    ILogger<Reconciler> log,
    GroupWebhookMetrics metrics)
{
    public const string Source = "backfill";

    /// <summary>Rows read close a chunk too (<see cref="ReconcileOptions.PassChunkSize"/>), so a stretch with nothing due still moves the cursor.</summary>
    internal const int ReadPerChunk = 5_000;

    private readonly ConversationReconciler _conversations = new(store, puller, edits, options, log);

    public async Task<ReconcileReport> RunPassAsync(CancellationToken cancellationToken)
    {
        if (!chat.ReconcilesHistory)
            return ReconcileReport.Off;

        var now = clock.GetUtcNow();
        var since = (await state.StartedAtAsync(cancellationToken).ConfigureAwait(false)).ToUnixTimeSeconds();
        var tally = new PassTally();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(options.MaxPassSeconds), TimeProvider.System);
        using var stopOnBudget = budget.Token.Register(stop.Cancel);
        var reachedEnd = false;
        try
        {
            reachedEnd = await WalkSummariesAsync(now, since, tally, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped on purpose (Tencent failed: the reason is in the tally), out of time, or by the host: report what was done.
        }
        if (budget.IsCancellationRequested)
            ReconcileLog.OutOfTime(log, options.MaxPassSeconds);

        var report = tally.Report() with { ReachedEnd = reachedEnd };
        metrics.GapsFound(report.GapsFound);
        metrics.HistoryWritten(Source, report.Backfilled, report.Recalled, report.Absent);
        if (report.StoppedBecause is { } reason)
            ReconcileLog.Stopped(log, reason);
        ReconcileLog.Pass(log, report.ConversationsChecked, report.GapsFound, report.Backfilled, report.Recalled, report.Absent, report.TailChecks, report.Rechecked,
            report.Edited, report.Calls, report.Errors);
        cancellationToken.ThrowIfCancellationRequested();
        return report;
    }

    /// <summary>
    /// Streams GroupSummaries from the stored cursor, a page at a time, and reconciles what is due a chunk at a time,
    /// storing the cursor after each chunk: memory holds one page and one chunk whatever the number of groups, and a
    /// pass out of time leaves the next to go on from there. True when it reached the end (the cursor starts over).
    /// </summary>
    private async Task<bool> WalkSummariesAsync(DateTimeOffset now, long since, PassTally tally, CancellationTokenSource stop)
    {
        var after = await state.CursorAsync(Discovery.ReconcileState.PassRow, stop.Token).ConfigureAwait(false);
        var chunk = new List<TableEntity>();
        var (read, lastPartition, leftAlonePartition) = (0, (string?)null, (string?)null);
        await foreach (var summary in store.ReadAfterAsync(GroupTable.Summaries, after, null, stop.Token).ConfigureAwait(false))
        {
            // A chunk ends between partitions, so a group's row and its topics' rows are reconciled in one chunk.
            if ((chunk.Count >= options.PassChunkSize || read >= ReadPerChunk) && summary.PartitionKey != lastPartition)
            {
                await ReconcileChunkAsync(chunk, now, since, tally, stop).ConfigureAwait(false);
                await state.SaveCursorAsync(Discovery.ReconcileState.PassRow, lastPartition, stop.Token).ConfigureAwait(false);
                (chunk, read) = ([], 0);
            }
            read++;
            lastPartition = summary.PartitionKey;
            // The group's own row comes first in its partition: a group left alone leaves its topics alone too.
            if (summary.RowKey.Length == 0 && IsLeftAlone(summary))
                leftAlonePartition = summary.PartitionKey;
            if (summary.PartitionKey != leftAlonePartition && !IsLeftAlone(summary) && summary.GetBoolean(Discovery.DiscoveredColumns.TopicsEnabled) != true
                && summary.GetString(GroupMessageFields.GroupId) is not null && (_conversations.IsDue(summary, now) || _conversations.IsRecheckDue(summary, now)))
                chunk.Add(summary);
        }
        await ReconcileChunkAsync(chunk, now, since, tally, stop).ConfigureAwait(false);
        await state.SaveCursorAsync(Discovery.ReconcileState.PassRow, null, stop.Token).ConfigureAwait(false);
        return true;
    }

    /// <summary>One chunk: the quiet, complete ones' newest seqs in batched calls first, then every conversation side by side.</summary>
    private async Task ReconcileChunkAsync(List<TableEntity> chunk, DateTimeOffset now, long since, PassTally tally, CancellationTokenSource stop)
    {
        if (chunk.Count == 0)
            return;
        IReadOnlyDictionary<Conversation, TailAnswer> newest;
        try
        {
            newest = await tails.CheckAsync([.. chunk.Where(s => _conversations.IsOnlyTailDue(s, now)).Select(Of)], tally, stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (TencentApiException.MeaningOf(ex) == RestFailure.Configuration || TencentApiException.MayPass(ex))
        {
            await StopAsync(tally, stop, ex).ConfigureAwait(false);
            throw new OperationCanceledException(stop.Token);
        }
        await Parallel.ForEachAsync(chunk, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = stop.Token }, async (summary, token) =>
        {
            var conversation = Of(summary);
            var answer = newest.TryGetValue(conversation, out var known) ? known : (TailAnswer?)null;
            try
            {
                if (answer is { Gone: true })
                    throw new TencentApiException(RestFailure.GroupGone, 10010, "Tencent's profile says the group or topic does not exist.");
                if (answer is { NoHistory: true })
                {
                    await MarkNoHistoryAsync(conversation, token).ConfigureAwait(false);
                    return;
                }
                await _conversations.ReconcileAsync(conversation, summary, now, tally, token, answer?.Newest, since).ConfigureAwait(false);
            }
            catch (TencentApiException ex) when (ex.Failure == RestFailure.GroupGone)
            {
                await MarkGoneAsync(conversation, now, token).ConfigureAwait(false);
                ReconcileLog.GroupGone(log, new UntrustedText(conversation.ToString()), ex.ErrorCode);
            }
            catch (Exception ex) when (TencentApiException.MeaningOf(ex) == RestFailure.Configuration || TencentApiException.MayPass(ex))
            {
                // Every other conversation would fail the same way: stop, and let the next pass go on.
                await StopAsync(tally, stop, ex).ConfigureAwait(false);
            }
            catch (TencentApiException ex)
            {
                Interlocked.Increment(ref tally.Errors);
                ReconcileLog.ConversationFailed(log, new UntrustedText(conversation.ToString()), ex.Message);
            }
        }).ConfigureAwait(false);
        // Stopped part-way: the cursor stays before this chunk.
        stop.Token.ThrowIfCancellationRequested();
    }

    private static async Task StopAsync(PassTally tally, CancellationTokenSource stop, Exception ex)
    {
        tally.Stop(TencentApiException.MayPass(ex)
            ? $"Tencent's REST API could not be reached after retries ({ex.Message}); the next pass goes on where this one stopped."
            : ex.Message);
        await stop.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>Tencent says the group is an AVChatRoom: it has no history, and is left alone from now on.</summary>
    private async Task MarkNoHistoryAsync(Conversation conversation, CancellationToken cancellationToken) =>
        await store.ChangeRowAsync(GroupTable.Summaries, conversation.SummaryPartition, conversation.SummaryRow, current =>
        {
            if (current is null)
                return null;
            var row = RowMerge.Copy(current);
            row[GroupMessageFields.Type] = MessageIdentity.AudioVideoGroupType;
            return row;
        }, [], cancellationToken).ConfigureAwait(false);

    /// <summary>Ended (disbanded, deleted, gone at Tencent), or never with a history to reconcile against (AVChatRoom).</summary>
    private static bool IsLeftAlone(TableEntity summary) =>
        summary.GetBoolean(Disbanded) == true || summary.GetBoolean(Deleted) == true || summary.GetBoolean(GroupGone) == true
        || string.Equals(summary.GetString(GroupMessageFields.Type), MessageIdentity.AudioVideoGroupType, StringComparison.OrdinalIgnoreCase);

    private static Conversation Of(TableEntity summary) =>
        new(summary.GetString(GroupMessageFields.GroupId)!, summary.GetString(GroupMessageFields.TopicId) is { Length: > 0 } topic ? topic : null);

    /// <summary>
    /// Marks the conversation Tencent answered for as gone: the group's row for a group, the topic's own row for a topic,
    /// so one topic Tencent does not know leaves the rest of its community reconciled.
    /// </summary>
    private async Task MarkGoneAsync(Conversation conversation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (partition, row) = (conversation.SummaryPartition, conversation.SummaryRow);
        var names = new Dictionary<string, object> { [GroupMessageFields.GroupId] = conversation.GroupId };
        if (conversation.TopicId is { } topicId)
            names[GroupMessageFields.TopicId] = topicId;
        await store.ChangeRowAsync(GroupTable.Summaries, partition, row,
            current => RowMerge.End(current, partition, row, GroupGone, GroupGoneAt, now.ToUnixTimeMilliseconds(), null, null, names),
            [], cancellationToken).ConfigureAwait(false);
    }
}
