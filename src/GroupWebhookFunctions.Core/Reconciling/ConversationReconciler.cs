using Azure.Data.Tables;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;
using Microsoft.Extensions.Logging;
using static GroupWebhookFunctions.Synchronizing.GroupMessageColumns;

namespace GroupWebhookFunctions.Reconciling;

/// <summary>
/// One group's or topic's part of a pass: walk its rows above the watermark, pull each gap, ask a quiet one for its
/// newest seq, recheck recent messages for edits, and write what was found to its summary. The summary gets what was
/// done even when the pass is cut short (out of time, stopped, or failing): rows written are counted once, and the
/// watermark moves only through what was closed.
/// </summary>
internal sealed class ConversationReconciler(IGroupMessageStore store, HistoryPuller puller, EditFinder edits, ReconcileOptions options, ILogger log)
{
    /// <summary>Something to do: a watermark to set or move, or a quiet group's tail not asked for since its last message.</summary>
    public bool IsDue(TableEntity summary, DateTimeOffset now)
    {
        var latest = Latest(summary);
        var watermark = summary.GetInt64(CompleteThroughSeq);
        if (latest <= 0 && watermark is null)
            return false;
        if (watermark is null || latest > watermark)
            return true;
        return IsTailDue(summary, latest, now);
    }

    /// <summary>Complete through its latest seq: what is due is only the tail check, which a batched call answers.</summary>
    public bool IsOnlyTailDue(TableEntity summary, DateTimeOffset now) =>
        summary.GetInt64(CompleteThroughSeq) is { } watermark && Latest(summary) <= watermark && IsTailDue(summary, Latest(summary), now);

    /// <summary>
    /// The latest seq the store knows of: the latest message's, or a discovered row's watermark (the newest seq sent
    /// before reconciliation started), which has no message yet.
    /// </summary>
    private static long Latest(TableEntity summary) => Math.Max(summary.GetInt64(GroupMessageFields.MsgSeq) ?? 0, summary.GetInt64(CompleteThroughSeq) ?? 0);

    /// <summary>Quiet, and never asked for its newest since its latest seq (a discovered row: never asked at all).</summary>
    private bool IsTailDue(TableEntity summary, long latest, DateTimeOffset now) =>
        (summary.GetInt64(TailCheckedThroughSeq) is not { } tail || tail < latest) && IsQuiet(summary, now);

    public bool IsRecheckDue(TableEntity summary, DateTimeOffset now) =>
        options.RecheckHours > 0 && summary.GetDateTimeOffset(UpdatedAt) is { } updated && now - updated <= TimeSpan.FromHours(options.RecheckHours);

    private bool IsQuiet(TableEntity summary, DateTimeOffset now) =>
        summary.GetDateTimeOffset(UpdatedAt) is not { } updated || now - updated >= TimeSpan.FromMinutes(options.QuietMinutes);

    /// <summary><paramref name="knownNewest"/>: Tencent's newest seq, when a batched tail check has asked for it already.</summary>
    /// <paramref name="since"/>: when reconciliation started (Unix seconds); messages sent since then below the first one
    /// the store heard of are backfilled too.
    public async Task ReconcileAsync(Conversation conversation, TableEntity summary, DateTimeOffset now, PassTally tally, CancellationToken cancellationToken,
        long? knownNewest = null, long? since = null)
    {
        var latest = Latest(summary);
        var known = summary.GetInt64(CompleteThroughSeq);
        var pulled = new PullTally();
        var progress = new Progress(known, known ?? await FirstWatermarkAsync(conversation, latest, since, pulled, cancellationToken).ConfigureAwait(false), pulled);
        Interlocked.Increment(ref tally.Checked);
        try
        {
            await WalkAsync(conversation, latest, now, progress, cancellationToken).ConfigureAwait(false);
            if (progress.Watermark >= latest && IsTailDue(summary, latest, now))
            {
                Interlocked.Increment(ref tally.TailChecks);
                await CheckTailAsync(conversation, latest, knownNewest, progress, cancellationToken).ConfigureAwait(false);
            }
            if (IsRecheckDue(summary, now))
            {
                var (calls, checkedCount, edited) = await edits.RecheckAsync(conversation, Math.Max(latest, progress.Watermark), now - TimeSpan.FromHours(options.RecheckHours),
                    cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref tally.Calls, calls);
                Interlocked.Add(ref tally.Rechecked, checkedCount);
                Interlocked.Add(ref tally.Edited, edited);
            }
        }
        catch (Exception cutShort)
        {
            tally.Add(progress.Gaps, progress.Pulled);
            await SaveOnTheWayOutAsync(conversation, now, progress, cutShort).ConfigureAwait(false);
            throw;
        }
        tally.Add(progress.Gaps, progress.Pulled);
        await SaveAsync(conversation, now, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams the rows above the watermark through the gap walk, holding one at a time, and pulls each gap as it is found.</summary>
    private async Task WalkAsync(Conversation conversation, long latest, DateTimeOffset now, Progress progress, CancellationToken cancellationToken)
    {
        if (latest <= progress.Watermark)
            return;
        var walk = new GapWalk(progress.Watermark, (now - TimeSpan.FromSeconds(options.GraceSeconds)).ToUnixTimeSeconds());
        await foreach (var row in store.ReadRangeAsync(GroupTable.Messages, conversation.MessagePartition, TableKeys.SequenceRow(progress.Watermark),
            TableKeys.SequenceRow(latest), Coverage.Columns, cancellationToken).ConfigureAwait(false))
        {
            if (Coverage.Of(row) is not { } stored)
                continue;
            if (walk.Next(stored) is { } gap)
            {
                progress.Gaps++;
                walk.Filled(gap, await PullAsync(conversation, gap, latest, progress.Pulled, cancellationToken).ConfigureAwait(false));
            }
            progress.Watermark = walk.CompleteThrough;
            if (walk.Ended)
                break;
        }
    }

    /// <summary>
    /// Asks a complete, quiet conversation for its newest seq (one call, unless a batched check answered already), and
    /// pulls any messages after the latest stored.
    /// </summary>
    private async Task CheckTailAsync(Conversation conversation, long latest, long? knownNewest, Progress progress, CancellationToken cancellationToken)
    {
        var top = knownNewest ?? await puller.NewestAsync(conversation, progress.Pulled, cancellationToken).ConfigureAwait(false);
        progress.TailChecked = latest;
        if (top <= latest)
            return;
        progress.Gaps++;
        progress.Watermark = await PullAsync(conversation, new SeqRange(latest + 1, top), latest, progress.Pulled, cancellationToken).ConfigureAwait(false);
        progress.TailChecked = top;
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
    private async Task<(long Seq, long? MsgTime)?> FirstKnownSeqAsync(Conversation conversation, long latest, CancellationToken cancellationToken)
    {
        await foreach (var row in store.ReadRangeAsync(GroupTable.Messages, conversation.MessagePartition, TableKeys.SequenceRow(0), TableKeys.SequenceRow(latest),
            ["RowKey", GroupMessageFields.MsgTime], cancellationToken, pageSize: 1).ConfigureAwait(false))
        {
            if (TableKeys.SequenceOf(row.RowKey) is { } seq)
                return (seq, row.GetInt64(GroupMessageFields.MsgTime));
        }
        return null;
    }

    /// <summary>
    /// The watermark of a conversation never reconciled: just below the first message the store heard of, unless that
    /// one was sent since reconciliation started, when what was sent since below it (its first webhooks lost) is not
    /// import territory: then just below those, found by reading history downward.
    /// </summary>
    private async Task<long> FirstWatermarkAsync(Conversation conversation, long latest, long? since, PullTally pulled, CancellationToken cancellationToken)
    {
        var first = await FirstKnownSeqAsync(conversation, latest, cancellationToken).ConfigureAwait(false);
        var below = (first?.Seq ?? latest) - 1;
        if (since is { } moment && first is { MsgTime: { } sent } && sent >= moment && below > 0)
            return await puller.Floor.LastBeforeAsync(conversation, below, null, null, moment, pulled, cancellationToken).ConfigureAwait(false);
        return below;
    }

    private async Task SaveAsync(Conversation conversation, DateTimeOffset now, Progress progress, CancellationToken cancellationToken)
    {
        if (!progress.HasNews)
            return;
        var (watermark, messages, absent, tailChecked) = (progress.Watermark, progress.Pulled.Messages, progress.Pulled.Absent, progress.TailChecked);
        await store.ChangeRowAsync(GroupTable.Summaries, conversation.SummaryPartition, conversation.SummaryRow,
            current => RowMerge.Reconciled(current, watermark, now, messages, absent, tailChecked), [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Saves what a conversation cut short did, whatever stopped it: the rows it wrote are counted now or never, as
    /// the next pass finds them covered. A failure to save is logged, and the failure that cut it short goes on.
    /// </summary>
    private async Task SaveOnTheWayOutAsync(Conversation conversation, DateTimeOffset now, Progress progress, Exception cutShort)
    {
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.CallTimeoutSeconds), TimeProvider.System);
            await SaveAsync(conversation, now, progress, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception notSaved) when (notSaved is not OutOfMemoryException)
        {
            ReconcileLog.ProgressNotSaved(log, new UntrustedText(conversation.ToString()), progress.Pulled.Messages + progress.Pulled.Absent, cutShort.GetType().Name,
                notSaved.GetType().Name);
        }
    }

    /// <summary>How far a conversation's reconciliation has got; the watermark only covers what is closed.</summary>
    private sealed class Progress(long? known, long watermark, PullTally pulled)
    {
        public long Watermark { get; set; } = watermark;

        public int Gaps { get; set; }

        public long? TailChecked { get; set; }

        public PullTally Pulled { get; } = pulled;

        public bool HasNews => Watermark != known || Pulled.Messages + Pulled.Absent > 0 || TailChecked is not null;
    }
}
