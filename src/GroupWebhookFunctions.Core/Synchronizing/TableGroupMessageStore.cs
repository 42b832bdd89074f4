using Azure;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Synchronizing;

/// <summary>
/// The tables in Table Storage. A summary moves forward under optimistic concurrency (<see cref="SummaryAdvancer"/>),
/// so the usual new message costs one insert and one conditional update. Later events change rows by read, merge and
/// conditional write (<see cref="ChangeRowAsync"/>).
/// </summary>
public sealed class TableGroupMessageStore(
    TableClient messages, TableClient summaries, TableClient readers, TableClient failures, TableClient imports, BlobPayloadStore payloads, TimeProvider clock) : IGroupMessageStore
{
    private const int MaxAttempts = 16;

    /// <summary>A table transaction holds at most 100 operations, all in one partition.</summary>
    private const int MaxBatch = 100;

    private readonly SummaryAdvancer _summaries = new(summaries, clock);

    public async Task<bool> AddMessageAsync(TableEntity message, CancellationToken cancellationToken) =>
        await AddRowAsync(GroupTable.Messages, message, cancellationToken).ConfigureAwait(false);

    public async Task<bool> AddRowAsync(GroupTable table, TableEntity row, CancellationToken cancellationToken)
    {
        var client = Client(table);
        // Offloaded on a copy: a caller that finds the row there already merges the values themselves.
        var added = RowMerge.Copy(row);
        var offloaded = await LargeValues.OffloadAsync(added, payloads, cancellationToken).ConfigureAwait(false);
        try
        {
            await MissingResource.CreateOnceIfMissingAsync(
                () => client.AddEntityAsync(added, cancellationToken),
                () => client.CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409 || RowRefusedException.IsRefusal(ex))
        {
            await LargeValues.DeleteAsync(offloaded, payloads, cancellationToken).ConfigureAwait(false);
            if (ex.Status == 409)
                return false;
            throw new RowRefusedException(table, ex);
        }
    }

    /// <remarks>
    /// Each attempt writes the new version's large values to blobs of their own before the conditional row write. An
    /// attempt that loses (another writer changed the row: 412, 409, 404) or is refused (400) removes its own blobs; the
    /// winner removes the blobs of the version it replaced, once the row names the new ones.
    /// </remarks>
    public async Task<TableEntity?> ChangeRowAsync(GroupTable table, string partitionKey, string rowKey, RowChange change, IReadOnlyCollection<string> inflate, CancellationToken cancellationToken)
    {
        var client = Client(table);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // A missing table reads as a missing row; the add creates the table.
            var current = await ReadRowAsync(table, partitionKey, rowKey, cancellationToken).ConfigureAwait(false);
            var before = LargeValues.BlobsNamedBy(current);
            if (current is not null)
                await LargeValues.InflateAsync(current, inflate, payloads, cancellationToken).ConfigureAwait(false);
            var next = change(current);
            if (next is null)
                return null;

            var offloaded = await LargeValues.OffloadAsync(next, payloads, cancellationToken).ConfigureAwait(false);
            try
            {
                if (current is null)
                {
                    await MissingResource.CreateOnceIfMissingAsync(
                        () => client.AddEntityAsync(next, cancellationToken),
                        () => client.CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);
                }
                else
                {
                    await client.UpdateEntityAsync(next, current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404 || RowRefusedException.IsRefusal(ex))
            {
                await LargeValues.DeleteAsync(offloaded, payloads, cancellationToken).ConfigureAwait(false);
                if (RowRefusedException.IsRefusal(ex))
                    throw new RowRefusedException(table, ex);
                continue;
            }
            await LargeValues.DeleteAsync(before.Except(LargeValues.BlobsNamedBy(next)), payloads, cancellationToken).ConfigureAwait(false);
            return next;
        }
        throw new InvalidOperationException($"The row {partitionKey}/{rowKey} kept changing under {MaxAttempts} attempts.");
    }

    public async Task UpsertRowsAsync(GroupTable table, IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        var client = Client(table);
        foreach (var partition in rows.GroupBy(row => row.PartitionKey))
        {
            foreach (var batch in partition.Chunk(MaxBatch))
            {
                var actions = batch.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)).ToList();
                try
                {
                    await MissingResource.CreateOnceIfMissingAsync(
                        () => client.SubmitTransactionAsync(actions, cancellationToken),
                        () => client.CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);
                }
                catch (RequestFailedException ex) when (RowRefusedException.IsRefusal(ex))
                {
                    throw new RowRefusedException(table, ex);
                }
            }
        }
    }

    public async Task<bool> TryAddRowsAsync(GroupTable table, IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return true;
        if (rows.Count > MaxBatch || rows.Any(row => row.PartitionKey != rows[0].PartitionKey || row.Any(p => p.Value is string { Length: > LargeValues.MaxStringLength })))
            return false;
        var client = Client(table);
        var actions = rows.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)).ToList();
        try
        {
            await MissingResource.CreateOnceIfMissingAsync(
                () => client.SubmitTransactionAsync(actions, cancellationToken),
                () => client.CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 400 or 413)
        {
            // A row that exists (or a transaction too large) fails the whole transaction: nothing was written.
            return false;
        }
    }

    public async IAsyncEnumerable<TableEntity> ReadRangeAsync(GroupTable table, string partitionKey, string afterRowKey, string throughRowKey, IReadOnlyList<string> columns,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, int? pageSize = null)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey gt {afterRowKey} and RowKey le {throughRowKey}");
        await foreach (var row in ReadAsync(Client(table), filter, columns, pageSize, cancellationToken).ConfigureAwait(false))
            yield return row;
    }

    public IAsyncEnumerable<TableEntity> ReadAllAsync(GroupTable table, IReadOnlyList<string>? columns, CancellationToken cancellationToken) =>
        ReadAsync(Client(table), null, columns, null, cancellationToken);

    public IAsyncEnumerable<TableEntity> ReadAfterAsync(GroupTable table, string? afterPartitionKey, IReadOnlyList<string>? columns, CancellationToken cancellationToken) =>
        ReadAsync(Client(table), afterPartitionKey is null ? null : TableClient.CreateQueryFilter($"PartitionKey gt {afterPartitionKey}"), columns, null, cancellationToken);

    public async Task DeleteRowAsync(GroupTable table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        await Client(table).DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);

    public async Task<TableEntity?> ReadRowAsync(GroupTable table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var read = await Client(table).GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return read.HasValue ? read.Value : null;
    }

    /// <summary>A table that does not exist yet has no rows.</summary>
    private static async IAsyncEnumerable<TableEntity> ReadAsync(TableClient client, string? filter, IReadOnlyList<string>? columns, int? pageSize,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = client.QueryAsync<TableEntity>(filter, pageSize, columns, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                Page<TableEntity> page;
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false))
                        yield break;
                    page = pages.Current;
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    yield break;
                }
                foreach (var row in page.Values)
                    yield return row;
            }
        }
        finally
        {
            await pages.DisposeAsync().ConfigureAwait(false);
        }
    }

    public Task<SummaryChange> AdvanceSummaryAsync(GroupSummary candidate, CancellationToken cancellationToken) =>
        _summaries.AdvanceAsync(candidate, cancellationToken);

    private TableClient Client(GroupTable table) => table switch
    {
        GroupTable.Messages => messages,
        GroupTable.Summaries => summaries,
        GroupTable.Readers => readers,
        GroupTable.Failures => failures,
        _ => imports,
    };
}
