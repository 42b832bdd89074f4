using Azure.Data.Tables;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;

namespace GroupWebhookFunctions.Reconciling;

/// <summary>What one page of history became: rows written by kind, and where the next page starts (null: done).</summary>
public readonly record struct PulledPage(int Messages, int Recalled, int Absent, long? NextUpTo);

/// <summary>What a range of history became.</summary>
public readonly record struct PulledRange(int Messages, int Recalled, int Absent, int Calls)
{
    public PulledRange Add(PulledPage page) => this + new PulledRange(page.Messages, page.Recalled, page.Absent, 1);

    public static PulledRange operator +(PulledRange a, PulledRange b) =>
        new(a.Messages + b.Messages, a.Recalled + b.Recalled, a.Absent + b.Absent, a.Calls + b.Calls);
}

/// <summary>
/// Pulls a conversation's history a page at a time, newest first, and writes every entry as the row a webhook would
/// have made, merged into any row already there (<see cref="RowMerge.Backfill"/>). Every seq inside a page that Tencent
/// did not return is written as absent, so the range it covered has no hole left. Gap backfill and imports both
/// page through here.
/// </summary>
public sealed class HistoryPuller(GroupHistory history, IGroupMessageStore store, TencentChatOptions options, TimeProvider clock)
{
    /// <summary>A table transaction holds at most 100 rows.</summary>
    private const int MaxBatch = 100;

    /// <summary>
    /// One page at or below <paramref name="upTo"/> (the newest when null) and at or above <paramref name="floor"/>.
    /// When Tencent returns nothing there, the range is closed as absent if <paramref name="closeEmptyRange"/>
    /// (a gap between stored messages), or left alone (an import reaching past what Tencent keeps).
    /// The summary moves to the newest entry when it is above <paramref name="summaryLatest"/> (always when null).
    /// </summary>
    public async Task<PulledPage> PullPageAsync(Conversation conversation, long? upTo, long floor, bool closeEmptyRange, long? summaryLatest, CancellationToken cancellationToken)
    {
        var count = upTo is { } top ? (int)Math.Min(GroupHistory.MaxPerCall, top - floor + 1) : GroupHistory.MaxPerCall;
        var page = await history.PageAsync(conversation, upTo, count, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var entries = page.Messages
            .Where(m => m.MsgSeq >= floor && (upTo is null || m.MsgSeq <= upTo))
            .DistinctBy(m => m.MsgSeq)
            .OrderByDescending(m => m.MsgSeq)
            .ToList();
        if (entries.Count == 0)
        {
            if (!closeEmptyRange || upTo is not { } emptyTop)
                return new PulledPage(0, 0, 0, null);
            var closed = Seqs(floor, emptyTop).Select(seq => HistoryRows.AbsentRow(conversation, seq, now)).ToList();
            await WriteAsync(closed, cancellationToken).ConfigureAwait(false);
            return new PulledPage(0, 0, closed.Count, null);
        }

        var returned = entries.Select(m => m.MsgSeq).ToHashSet();
        var lowest = entries[^1].MsgSeq;
        var rows = entries.Select(m => HistoryRows.Row(conversation, m, now)).ToList();
        var skipped = Seqs(lowest, upTo ?? entries[0].MsgSeq).Where(seq => !returned.Contains(seq)).Select(seq => HistoryRows.AbsentRow(conversation, seq, now)).ToList();
        await WriteAsync([.. rows, .. skipped], cancellationToken).ConfigureAwait(false);
        if (summaryLatest is null || entries[0].MsgSeq > summaryLatest)
            await store.AdvanceSummaryAsync(HistoryRows.Summary(conversation, entries[0]), cancellationToken).ConfigureAwait(false);

        return new PulledPage(
            entries.Count(m => m.Place != HistoryPlace.Absent),
            entries.Count(m => m.Place == HistoryPlace.Recalled),
            entries.Count(m => m.Place == HistoryPlace.Absent) + skipped.Count,
            lowest - 1 >= floor ? lowest - 1 : null);
    }

    /// <summary>Pulls [<paramref name="from"/>, <paramref name="through"/>] whole, newest page first: a gap between stored messages.</summary>
    public async Task<PulledRange> PullRangeAsync(Conversation conversation, long from, long through, long summaryLatest, CancellationToken cancellationToken)
    {
        var total = default(PulledRange);
        long? upTo = through;
        while (upTo is { } next && next >= from)
        {
            var page = await PullPageAsync(conversation, next, from, closeEmptyRange: true, summaryLatest, cancellationToken).ConfigureAwait(false);
            total = total.Add(page);
            upTo = page.NextUpTo;
        }
        return total;
    }

    /// <summary>
    /// Writes rows of one conversation: a transaction per hundred when none is there yet (the usual gap), else one
    /// by one through the merge, so a webhook's row only gains what it lacks.
    /// </summary>
    private async Task WriteAsync(IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        var erase = options.RecalledContent == RecalledContent.Erase;
        foreach (var batch in rows.Chunk(MaxBatch))
        {
            var fresh = batch.Select(row => RowMerge.Backfill(null, row, erase)!).ToList();
            if (await store.TryAddRowsAsync(GroupTable.Messages, fresh, cancellationToken).ConfigureAwait(false))
                continue;
            foreach (var row in batch)
            {
                await store.ChangeRowAsync(GroupTable.Messages, row.PartitionKey, row.RowKey,
                    current => RowMerge.Backfill(current, row, erase), [], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static IEnumerable<long> Seqs(long from, long through)
    {
        for (var seq = from; seq <= through; seq++)
            yield return seq;
    }
}
