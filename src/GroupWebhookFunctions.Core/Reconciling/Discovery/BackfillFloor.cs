using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;

namespace GroupWebhookFunctions.Reconciling.Discovery;

/// <summary>
/// Where a discovered group's or topic's backfill starts: only messages sent since reconciliation started are pulled
/// (older ones are an import's to fetch). Returns the newest seq sent before that moment (0: none), which becomes the
/// row's <c>CompleteThroughSeq</c>. Tencent's profile decides most cases with no call: made since then (all of it),
/// or silent since then (none of it); otherwise history is read downward, a page at a time, until a message older
/// than the moment.
/// </summary>
public sealed class BackfillFloor(GroupHistory history)
{
    public async Task<long> LastBeforeAsync(Conversation conversation, long newest, long? createTime, long? lastMsgTime, long since, PullTally tally,
        CancellationToken cancellationToken)
    {
        if (newest <= 0 || createTime >= since)
            return 0;
        if (lastMsgTime is { } last && last < since)
            return newest;
        long? upTo = newest;
        while (upTo is { } top && top > 0)
        {
            var page = await history.PageAsync(conversation, top, GroupHistory.MaxPerCall, cancellationToken).ConfigureAwait(false);
            tally.Called();
            var older = page.Messages.Where(m => m.Place != HistoryPlace.Absent && m.MsgTime < since).Select(m => m.MsgSeq).DefaultIfEmpty().Max();
            if (older > 0)
                return older;
            if (page.Messages.Count == 0 || page.IsFinished == 1)
                return 0;
            upTo = page.Messages.Min(m => m.MsgSeq) - 1;
        }
        return 0;
    }
}
