using Azure;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.Archive;

/// <summary>
/// The archive's reads: point reads of summaries and messages, and key-range queries that ask for no more rows than a
/// page needs, so a page of a dense conversation costs one table request. Offloaded values are read back inline.
/// </summary>
public sealed class ArchiveReader(TableClient messages, TableClient summaries, TableClient readers, BlobPayloadStore payloads)
{
    /// <summary>Above every sequence row key (19 digits) and below the keys of rows without a seq (<c>h-</c>, <c>id-</c>).</summary>
    public const string AfterSequenceRows = ":";

    public async Task<TableEntity?> SummaryAsync(string groupId, string? topicId, CancellationToken cancellationToken) =>
        await PointAsync(summaries, TableKeys.SummaryPartition(groupId), TableKeys.SummaryRow(topicId), cancellationToken).ConfigureAwait(false);

    /// <summary>A group's row and its topics' rows: one partition, so one request for any community under 1,000 topics.</summary>
    public async Task<List<TableEntity>> SummariesAsync(string groupId, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        var partition = TableKeys.SummaryPartition(groupId);
        try
        {
            await foreach (var row in summaries.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
                rows.Add(row);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
        await InflateAsync(rows, cancellationToken).ConfigureAwait(false);
        return rows;
    }

    public async Task<TableEntity?> MessageAsync(string partition, string rowKey, CancellationToken cancellationToken)
    {
        var row = await PointAsync(messages, partition, rowKey, cancellationToken).ConfigureAwait(false);
        if (row is not null)
            await InflateAsync([row], cancellationToken).ConfigureAwait(false);
        return row;
    }

    /// <summary>
    /// The message rows with keys in (<paramref name="afterKey"/>, <paramref name="beforeKey"/>), ascending, at most
    /// <paramref name="take"/> (all when null); each page of the query is one request.
    /// </summary>
    public Task<List<TableEntity>> MessagesAsync(string partition, string afterKey, string beforeKey, int? take, CancellationToken cancellationToken) =>
        RangeAsync(messages, partition, afterKey, beforeKey, take, select: null, cancellationToken);

    /// <summary>The lowest sequence row key above <paramref name="afterKey"/> and below <paramref name="beforeKey"/>, reading keys only.</summary>
    public async Task<string?> LowestKeyAsync(string partition, string afterKey, string beforeKey, CancellationToken cancellationToken)
    {
        var rows = await RangeAsync(messages, partition, afterKey, beforeKey, 1, ["RowKey"], cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0].RowKey;
    }

    /// <summary>A message's readers (row keys <c>&lt;message key&gt;!&lt;member&gt;</c>) after <paramref name="afterKey"/>.</summary>
    public Task<List<TableEntity>> ReadersAsync(string partition, string messageRowKey, string? afterKey, int take, CancellationToken cancellationToken) =>
        // '!' is followed by '"' in ordinal order: every reader key of the message lies between the two.
        RangeAsync(readers, partition, afterKey ?? messageRowKey + "!", messageRowKey + "\"", take, null, cancellationToken, inflate: false);

    private async Task<List<TableEntity>> RangeAsync(TableClient table, string partition, string afterKey, string beforeKey, int? take, IEnumerable<string>? select,
        CancellationToken cancellationToken, bool inflate = true)
    {
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {afterKey} and RowKey lt {beforeKey}");
        try
        {
            // Ask for exactly what is needed: a page of the query is at most 1,000 rows and one request.
            var pageSize = take is { } t ? Math.Min(t, 1000) : 1000;
            await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, select, cancellationToken).AsPages(pageSizeHint: pageSize).ConfigureAwait(false))
            {
                foreach (var row in page.Values)
                {
                    if (take is { } max && rows.Count == max)
                        break;
                    rows.Add(row);
                }
                if (take is { } limit && rows.Count >= limit)
                    break;
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
        if (inflate)
            await InflateAsync(rows, cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>Reads every value a row moved to a blob back into the row, all blobs of the page at once.</summary>
    public async Task InflateAsync(IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        List<Task>? reads = null;
        foreach (var row in rows)
        {
            var named = LargeValues.BlobsNamedBy(row);
            if (named.Count == 0)
                continue;
            var columns = row.Keys
                .Where(name => name.EndsWith(LargeValues.BlobSuffix, StringComparison.Ordinal) && named.Contains(row.GetString(name)!))
                .Select(name => name[..^LargeValues.BlobSuffix.Length])
                .ToList();
            if (columns.Count > 0)
                (reads ??= []).Add(LargeValues.InflateAsync(row, columns, payloads, cancellationToken));
        }
        if (reads is not null)
            await Task.WhenAll(reads).ConfigureAwait(false);
    }

    private static async Task<TableEntity?> PointAsync(TableClient table, string partition, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return answer.HasValue ? answer.Value : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
