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
    string? StoppedBecause)
{
    public static readonly ReconcileReport Off = new(false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);
}

/// <summary>
/// One pass over every group and topic the store knows: where the latest seq is above the watermark
/// (<c>CompleteThroughSeq</c>), find the missing seqs with a range query on the message rows, pull them from Tencent's
/// history and move the watermark; where a group has been quiet, ask once for its newest seq (the tail check).
/// AVChatRoom groups (no history), disbanded groups, deleted topics and groups Tencent says are gone are skipped.
/// A pass that cannot reach Tencent stops and leaves the rest for the next one: nothing is lost by waiting.
/// </summary>
public sealed class Reconciler(
    IGroupMessageStore store,
    HistoryPuller puller,
    EditFinder edits,
    TencentChatOptions chat,
    ReconcileOptions options,
    TimeProvider clock,
    ILogger<Reconciler> log,
    GroupWebhookMetrics metrics)
{
    public const string Source = "backfill";

    public async Task<ReconcileReport> RunPassAsync(CancellationToken cancellationToken)
    {
        if (!chat.ReconcilesHistory)
            return ReconcileReport.Off;

        var now = clock.GetUtcNow();
        var summaries = new List<TableEntity>();
        await foreach (var summary in store.ReadAllAsync(GroupTable.Summaries, null, cancellationToken).ConfigureAwait(false))
            summaries.Add(summary);
        var groupsLeftAlone = summaries.Where(s => s.RowKey.Length == 0 && IsLeftAlone(s)).Select(s => s.PartitionKey).ToHashSet(StringComparer.Ordinal);
        var due = summaries.Where(s => !groupsLeftAlone.Contains(s.PartitionKey) && !IsLeftAlone(s) && s.GetString(GroupMessageFields.GroupId) is not null
            && (IsDue(s, now) || IsRecheckDue(s, now))).ToList();

        var tally = new Tally();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(options.MaxPassSeconds), TimeProvider.System);
        using var stopOnBudget = budget.Token.Register(stop.Cancel);
        try
        {
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = stop.Token }, async (summary, token) =>
            {
                try
                {
                    await ReconcileAsync(summary, now, tally, token).ConfigureAwait(false);
                }
                catch (TencentApiException ex) when (ex.Failure == RestFailure.GroupGone)
                {
                    await MarkGoneAsync(Of(summary), now, token).ConfigureAwait(false);
                    ReconcileLog.GroupGone(log, new UntrustedText(summary.GetString(GroupMessageFields.GroupId)), ex.ErrorCode);
                }
                catch (Exception ex) when (TencentApiException.MeaningOf(ex) == RestFailure.Configuration || TencentApiException.MayPass(ex))
                {
                    // Every other conversation would fail the same way: stop, and let the next pass go on.
                    tally.Stop(TencentApiException.MayPass(ex)
                        ? $"Tencent's REST API could not be reached after retries ({ex.Message}); the next pass goes on where this one stopped."
                        : ex.Message);
                    await stop.CancelAsync().ConfigureAwait(false);
                }
                catch (TencentApiException ex)
                {
                    Interlocked.Increment(ref tally.Errors);
                    ReconcileLog.ConversationFailed(log, new UntrustedText(Of(summary).ToString()), ex.Message);
                }
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Stopped on purpose: Tencent failed (the reason is in the tally), or the pass used its time budget.
        }
        if (budget.IsCancellationRequested)
            ReconcileLog.OutOfTime(log, options.MaxPassSeconds);

        var report = tally.Report();
        metrics.GapsFound(report.GapsFound);
        metrics.HistoryWritten(Source, report.Backfilled, report.Recalled, report.Absent);
        if (report.StoppedBecause is { } reason)
            ReconcileLog.Stopped(log, reason);
        ReconcileLog.Pass(log, report.ConversationsChecked, report.GapsFound, report.Backfilled, report.Recalled, report.Absent, report.TailChecks, report.Rechecked,
            report.Edited, report.Calls, report.Errors);
        return report;
    }

    /// <summary>Something to do: a watermark to set or move, or a quiet group's tail not asked for since its last message.</summary>
    private bool IsDue(TableEntity summary, DateTimeOffset now)
    {
        var latest = summary.GetInt64(GroupMessageFields.MsgSeq) ?? 0;
        if (latest <= 0)
            return false;
        if (summary.GetInt64(CompleteThroughSeq) is not { } watermark || latest > watermark)
            return true;
        return (summary.GetInt64(TailCheckedThroughSeq) ?? 0) < latest && IsQuiet(summary, now);
    }

    private bool IsQuiet(TableEntity summary, DateTimeOffset now) =>
        summary.GetDateTimeOffset(UpdatedAt) is not { } updated || now - updated >= TimeSpan.FromMinutes(options.QuietMinutes);

    private bool IsRecheckDue(TableEntity summary, DateTimeOffset now) =>
        options.RecheckHours > 0 && summary.GetDateTimeOffset(UpdatedAt) is { } updated && now - updated <= TimeSpan.FromHours(options.RecheckHours);

    /// <summary>Ended (disbanded, deleted, gone at Tencent), or never with a history to reconcile against (AVChatRoom).</summary>
    private static bool IsLeftAlone(TableEntity summary) =>
        summary.GetBoolean(Disbanded) == true || summary.GetBoolean(Deleted) == true || summary.GetBoolean(GroupGone) == true
        || string.Equals(summary.GetString(GroupMessageFields.Type), MessageIdentity.AudioVideoGroupType, StringComparison.OrdinalIgnoreCase);

    private static Conversation Of(TableEntity summary) =>
        new(summary.GetString(GroupMessageFields.GroupId)!, summary.GetString(GroupMessageFields.TopicId) is { Length: > 0 } topic ? topic : null);

    private async Task ReconcileAsync(TableEntity summary, DateTimeOffset now, Tally tally, CancellationToken cancellationToken)
    {
        var conversation = Of(summary);
        var latest = summary.GetInt64(GroupMessageFields.MsgSeq) ?? 0;
        var known = summary.GetInt64(CompleteThroughSeq);
        var watermark = known ?? (await FirstKnownSeqAsync(conversation, latest, cancellationToken).ConfigureAwait(false) ?? latest) - 1;
        var pulled = new PullTally();
        var gapsFound = 0;
        long? tailChecked = null;
        Interlocked.Increment(ref tally.Checked);

        if (latest > watermark)
        {
            // Streamed: the walk holds one row at a time, and pulls each gap as it finds it.
            var walk = new GapWalk(watermark, (now - TimeSpan.FromSeconds(options.GraceSeconds)).ToUnixTimeSeconds());
            await foreach (var row in store.ReadRangeAsync(GroupTable.Messages, conversation.MessagePartition, TableKeys.SequenceRow(watermark), TableKeys.SequenceRow(latest),
                Coverage.Columns, cancellationToken).ConfigureAwait(false))
            {
                if (Coverage.Of(row) is not { } stored)
                    continue;
                if (walk.Next(stored) is { } gap)
                {
                    gapsFound++;
                    walk.Filled(gap, await PullAsync(conversation, gap, latest, pulled, cancellationToken).ConfigureAwait(false));
                }
                else if (walk.Ended)
                {
                    break;
                }
            }
            watermark = walk.CompleteThrough;
        }

        if (watermark >= latest && (summary.GetInt64(TailCheckedThroughSeq) ?? 0) < latest && IsQuiet(summary, now))
        {
            Interlocked.Increment(ref tally.TailChecks);
            var top = await puller.NewestAsync(conversation, pulled, cancellationToken).ConfigureAwait(false);
            tailChecked = latest;
            if (top > latest)
            {
                gapsFound++;
                watermark = await PullAsync(conversation, new SeqRange(latest + 1, top), latest, pulled, cancellationToken).ConfigureAwait(false);
                tailChecked = top;
            }
        }

        if (IsRecheckDue(summary, now))
        {
            var (calls, checkedCount, edited) = await edits.RecheckAsync(conversation, Math.Max(latest, watermark), now - TimeSpan.FromHours(options.RecheckHours), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref tally.Calls, calls);
            Interlocked.Add(ref tally.Rechecked, checkedCount);
            Interlocked.Add(ref tally.Edited, edited);
        }

        tally.Add(gapsFound, pulled);
        if (watermark != known || pulled.Messages + pulled.Absent > 0 || tailChecked is not null)
        {
            await store.ChangeRowAsync(GroupTable.Summaries, conversation.SummaryPartition, conversation.SummaryRow,
                current => RowMerge.Reconciled(current, watermark, now, pulled.Messages, pulled.Absent, tailChecked), [], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Pulls a gap in page-aligned parts side by side (the pacer keeps the rate whatever the number of parts); returns
    /// how far the gap is closed from its start: its end, or where the lowest part stopped short (Tencent's newest).
    /// </summary>
    private async Task<long> PullAsync(Conversation conversation, SeqRange gap, long summaryLatest, PullTally pulled, CancellationToken cancellationToken)
    {
        var parts = GapFinder.Split(gap, options.Parallelism, GroupHistory.MaxPerCall);
        var closed = new long[parts.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, parts.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken }, async (index, token) =>
                closed[index] = await puller.PullRangeAsync(conversation, parts[index].From, parts[index].Through, summaryLatest, pulled, token).ConfigureAwait(false))
            .ConfigureAwait(false);
        // Every part below one closed short is closed whole, so the lowest short one says how far the gap is closed.
        return parts.Select((part, index) => closed[index] < part.Through ? closed[index] : gap.Through).Min();
    }

    /// <summary>
    /// The lowest seq the store has any row for: the watermark starts just below, as nothing before it was ever heard
    /// of. A row a later event made counts here (unlike <see cref="Coverage"/>): the store knows that message exists, so
    /// it is reconciled like the rest.
    /// </summary>
    private async Task<long?> FirstKnownSeqAsync(Conversation conversation, long latest, CancellationToken cancellationToken)
    {
        await foreach (var row in store.ReadRangeAsync(GroupTable.Messages, conversation.MessagePartition, TableKeys.SequenceRow(0), TableKeys.SequenceRow(latest),
            ["RowKey"], cancellationToken, pageSize: 1).ConfigureAwait(false))
        {
            if (TableKeys.SequenceOf(row.RowKey) is { } seq)
                return seq;
        }
        return null;
    }

    private async Task MarkGoneAsync(Conversation conversation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (partition, row) = (conversation.SummaryPartition, TableKeys.SummaryRow((string?)null));
        await store.ChangeRowAsync(GroupTable.Summaries, partition, row,
            current => RowMerge.End(current, partition, row, GroupGone, GroupGoneAt, now.ToUnixTimeMilliseconds(), null, null,
                new Dictionary<string, object> { [GroupMessageFields.GroupId] = conversation.GroupId }),
            [], cancellationToken).ConfigureAwait(false);
    }

    private sealed class Tally
    {
        public int Checked;
        public int Gaps;
        public int Backfilled;
        public int Recalled;
        public int Absent;
        public int TailChecks;
        public int Rechecked;
        public int Edited;
        public int Calls;
        public int Errors;
        private string? _stoppedBecause;

        public void Add(int gaps, PullTally pulled)
        {
            Interlocked.Add(ref Gaps, gaps);
            Interlocked.Add(ref Backfilled, pulled.Messages);
            Interlocked.Add(ref Recalled, pulled.Recalled);
            Interlocked.Add(ref Absent, pulled.Absent);
            Interlocked.Add(ref Calls, pulled.Calls);
        }

        public void Stop(string reason) => Interlocked.CompareExchange(ref _stoppedBecause, reason, null);

        public ReconcileReport Report() => new(true, Checked, Gaps, Backfilled, Recalled, Absent, TailChecks, Rechecked, Edited, Calls, Errors + (_stoppedBecause is null ? 0 : 1), _stoppedBecause);
    }
}
