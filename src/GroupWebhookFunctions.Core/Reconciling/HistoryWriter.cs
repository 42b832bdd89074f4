using Azure.Data.Tables;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Reconciling;

/// <summary>
/// Writes rows made from history (<see cref="HistoryRows"/>) of one conversation: a transaction per hundred when none
/// is there yet (the usual gap), else one by one through <see cref="RowMerge.Backfill"/>, so a webhook's row only gains
/// what it lacks. Rows are taken from a sequence as they are written, so a range of any size is never held whole.
/// </summary>
public sealed class HistoryWriter(IGroupMessageStore store, TencentChatOptions options)
{
    /// <summary>A table transaction holds at most 100 rows.</summary>
    private const int MaxBatch = 100;

    /// <summary>
    /// Writes the rows, counting those each batch added or changed into <paramref name="tally"/> once it is written. A batch once begun is
    /// finished whatever <paramref name="cancellationToken"/> says, so every row written is counted; the token is
    /// honoured between batches.
    /// </summary>
    public async Task WriteAsync(IEnumerable<TableEntity> rows, PullTally tally, CancellationToken cancellationToken)
    {
        var erase = options.RecalledContent == RecalledContent.Erase;
        foreach (var batch in rows.Chunk(MaxBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fresh = batch.Select(row => RowMerge.Backfill(null, row, erase)!).ToList();
            IReadOnlyList<TableEntity> written = batch;
            if (!await store.TryAddRowsAsync(GroupTable.Messages, fresh, CancellationToken.None).ConfigureAwait(false))
            {
                var changed = new List<TableEntity>();
                foreach (var row in batch)
                {
                    if (await store.ChangeRowAsync(GroupTable.Messages, row.PartitionKey, row.RowKey,
                            current => RowMerge.Backfill(current, row, erase), [], CancellationToken.None).ConfigureAwait(false) is not null)
                        changed.Add(row);
                }
                written = changed;
            }
            // Only what history added: a row a webhook had already filled in is not counted again.
            tally.Wrote(
                written.Count(row => row.GetBoolean(GroupMessageColumns.Absent) != true),
                written.Count(row => row.GetBoolean(GroupMessageColumns.Recalled) == true),
                written.Count(row => row.GetBoolean(GroupMessageColumns.Absent) == true));
        }
    }
}
