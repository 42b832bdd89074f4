using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;

namespace GroupWebhookFunctions.Reconciling;

/// <summary>
/// What one page of history did: where the next page starts (null: done), and Tencent's newest seq when the page
/// learned that it lies below what was asked for (0: Tencent has no message at all), else null.
/// </summary>
public readonly record struct PulledPage(long? NextUpTo, long? TencentNewest)
{
    /// <summary>Tencent returned nothing at all: it keeps no message at or below the seq asked for.</summary>
    public bool NothingBelow { get; init; }
}

/// <summary>
/// Pulls a conversation's history a page at a time, newest first, and writes every entry as the row a webhook would
/// have made (<see cref="HistoryWriter"/>). Every seq that a page skips is written as absent, but only at or below
/// Tencent's own newest seq: a page asked for at or above it starts at it, and what Tencent has not numbered yet is not
/// a hole. Gap backfill and imports both page through here.
/// </summary>
public sealed class HistoryPuller(GroupHistory history, IGroupMessageStore store, HistoryWriter writer, TimeProvider clock)
{
    /// <summary>Where a conversation first heard of after reconciliation started begins: what was sent since is backfilled.</summary>
    internal Discovery.BackfillFloor Floor { get; } = new(history);

    /// <summary>
    /// One page at or below <paramref name="upTo"/> (the newest when null) and at or above <paramref name="floor"/>.
    /// <paramref name="belowNewest"/> says <paramref name="upTo"/> is known to be below Tencent's newest seq (it
    /// follows a page Tencent returned); otherwise a page starting below it says where Tencent's newest is. When Tencent
    /// returns nothing there, the range is closed as absent (as far as Tencent has numbered messages) if
    /// <paramref name="closeEmptyRange"/> (a gap between stored messages), or left alone (an import reaching past what
    /// Tencent keeps). The summary moves to the newest entry when it is above <paramref name="summaryLatest"/> (always when null).
    /// </summary>
    public async Task<PulledPage> PullPageAsync(Conversation conversation, long? upTo, long floor, bool belowNewest, bool closeEmptyRange, long? summaryLatest,
        PullTally tally, CancellationToken cancellationToken, bool closeAboveOlder = false)
    {
        var count = upTo is { } top ? (int)Math.Min(GroupHistory.MaxPerCall, top - floor + 1) : GroupHistory.MaxPerCall;
        var page = await history.PageAsync(conversation, upTo, count, cancellationToken).ConfigureAwait(false);
        tally.Called();
        var now = clock.GetUtcNow();
        var entries = page.Messages
            .Where(m => m.MsgSeq >= floor && (upTo is null || m.MsgSeq <= upTo))
            .DistinctBy(m => m.MsgSeq)
            .OrderByDescending(m => m.MsgSeq)
            .ToList();
        if (entries.Count == 0)
        {
            // Returned, but all below the floor: then the page was asked for above Tencent's newest.
            if (page.Messages.Count > 0 && !belowNewest)
                return new PulledPage(null, page.Messages.Max(m => m.MsgSeq));
            // closeAboveOlder: Tencent returned only older messages, so it keeps none in the range (an empty answer may be retention).
            if (!(closeEmptyRange || (closeAboveOlder && page.Messages.Count > 0)) || upTo is not { } emptyTop)
                return new PulledPage(null, null) { NothingBelow = page.Messages.Count == 0 };
            // Tencent keeps nothing at or below emptyTop: closed, but only as far as Tencent has numbered messages.
            var newest = belowNewest ? emptyTop : await NewestAsync(conversation, tally, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(Seqs(floor, Math.Min(emptyTop, newest)).Select(seq => HistoryRows.AbsentRow(conversation, seq, now)), tally, cancellationToken).ConfigureAwait(false);
            return new PulledPage(null, newest < emptyTop ? newest : null);
        }

        var returned = entries.Select(m => m.MsgSeq).ToHashSet();
        var (lowest, highest) = (entries[^1].MsgSeq, entries[0].MsgSeq);
        // Asked for at or above Tencent's newest, a page starts at it: nothing above its newest entry is a hole.
        var newestHere = upTo is { } asked && highest < asked && !belowNewest ? highest : (long?)null;
        var skipped = Seqs(lowest, newestHere ?? upTo ?? highest).Where(seq => !returned.Contains(seq)).Select(seq => HistoryRows.AbsentRow(conversation, seq, now));
        await writer.WriteAsync(entries.Select(m => HistoryRows.Row(conversation, m, now)).Concat(skipped), tally, cancellationToken).ConfigureAwait(false);
        if (summaryLatest is null || highest > summaryLatest)
            await store.AdvanceSummaryAsync(HistoryRows.Summary(conversation, entries[0]), cancellationToken).ConfigureAwait(false);
        return new PulledPage(lowest - 1 >= floor ? lowest - 1 : null, newestHere);
    }

    /// <summary>
    /// Pulls [<paramref name="from"/>, <paramref name="through"/>] whole, newest page first: a gap between stored
    /// messages. Returns how far the range is now closed: <paramref name="through"/>, or Tencent's newest seq when that
    /// is lower (<paramref name="from"/> - 1 when it is below the range).
    /// </summary>
    public async Task<long> PullRangeAsync(Conversation conversation, long from, long through, long summaryLatest, PullTally tally, CancellationToken cancellationToken)
    {
        var closedThrough = through;
        long? upTo = through;
        while (upTo is { } next && next >= from)
        {
            var page = await PullPageAsync(conversation, next, from, belowNewest: next < through, closeEmptyRange: true, summaryLatest, tally, cancellationToken).ConfigureAwait(false);
            if (page.TencentNewest is { } newest)
                closedThrough = Math.Max(from - 1, Math.Min(closedThrough, newest));
            upTo = page.NextUpTo;
        }
        return closedThrough;
    }

    /// <summary>Tencent's newest seq in the conversation, 0 when it has none: one call.</summary>
    public async Task<long> NewestAsync(Conversation conversation, PullTally tally, CancellationToken cancellationToken)
    {
        var newest = await history.PageAsync(conversation, null, 1, cancellationToken).ConfigureAwait(false);
        tally.Called();
        return newest.Messages.Count == 0 ? 0 : newest.Messages.Max(m => m.MsgSeq);
    }

    private static IEnumerable<long> Seqs(long from, long through)
    {
        for (var seq = from; seq <= through; seq++)
            yield return seq;
    }
}
