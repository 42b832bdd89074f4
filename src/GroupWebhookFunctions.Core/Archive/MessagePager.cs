using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.Archive;

/// <summary>A page of rows in the order served, and the last key served when more may follow.</summary>
public sealed record RowPage(IReadOnlyList<TableEntity> Rows, string? LastRowKey);

/// <summary>
/// Pages a conversation's message rows. Sequence rows are keyed by zero-padded MsgSeq, so a page of seqs is a key
/// range: oldest first is one query asking for limit + 1 rows; newest first (Table Storage reads only ascending) asks
/// for the window of the limit seqs below the bound, which a conversation without holes fills in one request, and
/// widens the window only where rows are missing.
/// </summary>
public sealed class MessagePager(ArchiveReader reader)
{
    /// <summary>A widened window reads at most this many seqs at once.</summary>
    private const long MaxWindow = 4000;

    /// <summary>
    /// Rows with a seq between the exclusive bounds <paramref name="after"/> and <paramref name="before"/> (null:
    /// unbounded), past <paramref name="position"/>; <paramref name="newest"/> is the summary's latest seq, where a
    /// newest-first walk without an upper bound starts (rows a later event made above it are included).
    /// </summary>
    public async Task<RowPage> SequenceAsync(string partition, long? after, long? before, string? position, long newest, int limit, PageOrder order,
        CancellationToken cancellationToken)
    {
        var low = after is { } a ? TableKeys.SequenceRow(a) : "";
        var high = before is { } b ? TableKeys.SequenceRow(b) : ArchiveReader.AfterSequenceRows;
        if (order == PageOrder.OldestFirst)
        {
            var from = position is not null && string.CompareOrdinal(position, low) > 0 ? position : low;
            return Ascending(await reader.MessagesAsync(partition, from, high, limit + 1, cancellationToken).ConfigureAwait(false), limit);
        }
        if (position is not null && string.CompareOrdinal(position, high) < 0)
            high = position;
        // A first page below a before far above the newest seq starts at the newest, as an unbounded one does: walking
        // down to it a window at a time would take a request per 4,000 seqs.
        var openTop = position is null && (before is null || before > newest + 1);
        return await DescendingAsync(partition, after ?? 0, high, openTop, newest, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rows keyed by MsgId or hash (AVChatRoom): in key order, the only order a single query gives.</summary>
    public async Task<RowPage> KeyOrderAsync(string partition, string? position, int limit, CancellationToken cancellationToken) =>
        Ascending(await reader.MessagesAsync(partition, position ?? ArchiveReader.AfterSequenceRows, "\uffff", limit + 1, cancellationToken).ConfigureAwait(false), limit);

    private static RowPage Ascending(List<TableEntity> rows, int limit) =>
        rows.Count > limit ? new RowPage(rows[..limit], rows[limit - 1].RowKey) : new RowPage(rows, null);

    private async Task<RowPage> DescendingAsync(string partition, long floor, string highKey, bool openTop, long newest, int limit, CancellationToken cancellationToken)
    {
        // The window's exclusive top as a seq; an open top reads from just above the newest seq up to the high key.
        var top = openTop ? Math.Max(newest, floor) + 1 : TableKeys.SequenceOf(highKey)!.Value;
        var served = new List<TableEntity>();
        var window = (long)limit;
        while (served.Count < limit && (top > floor + 1 || openTop))
        {
            var bottom = Math.Max(floor, top - 1 - window);
            var rows = await reader.MessagesAsync(partition, TableKeys.SequenceRow(bottom), openTop ? highKey : TableKeys.SequenceRow(top), null, cancellationToken)
                .ConfigureAwait(false);
            openTop = false;
            var taken = 0;
            for (var i = rows.Count - 1; i >= 0 && served.Count < limit; i--, taken++)
                served.Add(rows[i]);
            // Rows of this window left over (earlier windows' rows do not count) are the next page's.
            if (served.Count == limit)
                return new RowPage(served, taken < rows.Count || bottom > floor ? served[^1].RowKey : null);
            // A stretch without rows ends the walk where nothing is left below it.
            if (rows.Count == 0 && bottom > floor
                && await reader.LowestKeyAsync(partition, TableKeys.SequenceRow(floor), TableKeys.SequenceRow(bottom + 1), cancellationToken).ConfigureAwait(false) is null)
                break;
            top = bottom + 1;
            window = Math.Min(window * 4, MaxWindow);
        }
        return new RowPage(served, null);
    }
}
