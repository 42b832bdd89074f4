using Azure.Data.Tables;

namespace GroupWebhookFunctions.Synchronizing;

public enum SummaryChange
{
    Created,
    Advanced,

    /// <summary>The summary already shows this message or a later one.</summary>
    Unchanged,
}

/// <summary>The tables the synchronizer writes.</summary>
public enum GroupTable
{
    Messages,
    Summaries,
    Readers,
    Failures,
    Imports,
}

/// <summary>
/// Turns a row as it is (null when there is none) into the row it should become, or null when it needs no change.
/// Must depend only on its argument and the event, as it runs again whenever another writer changed the row first.
/// </summary>
public delegate TableEntity? RowChange(TableEntity? current);

/// <summary>
/// Where synchronized events are kept. Every write offloads a value too long for a table property to a blob the
/// row names, and removes a blob a row stops naming.
/// </summary>
public interface IGroupMessageStore
{
    /// <summary>Adds the message row; false when a row with its keys was already there.</summary>
    Task<bool> AddMessageAsync(TableEntity message, CancellationToken cancellationToken);

    /// <summary>Moves the summary forward to <paramref name="candidate"/> unless it already shows a later message.</summary>
    Task<SummaryChange> AdvanceSummaryAsync(GroupSummary candidate, CancellationToken cancellationToken);

    /// <summary>
    /// Reads a row, applies <paramref name="change"/> and writes the result only if the row is still as read (ETag),
    /// reading again when another writer came first, so no update is lost. Returns the row written, or null when the
    /// change left it as it was. <paramref name="inflate"/> names columns whose offloaded value the change needs to see.
    /// </summary>
    Task<TableEntity?> ChangeRowAsync(GroupTable table, string partitionKey, string rowKey, RowChange change, IReadOnlyCollection<string> inflate, CancellationToken cancellationToken);

    /// <summary>Writes rows whole, whatever was there (rows that are a pure function of the event).</summary>
    Task UpsertRowsAsync(GroupTable table, IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken);

    /// <summary>
    /// Adds rows of one partition in one transaction; false, with nothing written, when any of them was already there
    /// or one holds a value too long for a table property (the caller then writes them one by one).
    /// </summary>
    Task<bool> TryAddRowsAsync(GroupTable table, IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken);

    /// <summary>
    /// Reads rows of one partition with row keys in (<paramref name="afterRowKey"/>, <paramref name="throughRowKey"/>], in key order,
    /// only the columns named, <paramref name="pageSize"/> rows a request (the service's 1,000 when null).
    /// </summary>
    IAsyncEnumerable<TableEntity> ReadRangeAsync(GroupTable table, string partitionKey, string afterRowKey, string throughRowKey, IReadOnlyList<string> columns,
        CancellationToken cancellationToken, int? pageSize = null);

    /// <summary>Reads every row of a table, only the columns named.</summary>
    IAsyncEnumerable<TableEntity> ReadAllAsync(GroupTable table, IReadOnlyList<string>? columns, CancellationToken cancellationToken);

    Task<TableEntity?> ReadRowAsync(GroupTable table, string partitionKey, string rowKey, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the rows of every partition after <paramref name="afterPartitionKey"/> (all when null), in key order, a page
    /// at a time: a caller holds one page, whatever the table's size.
    /// </summary>
    IAsyncEnumerable<TableEntity> ReadAfterAsync(GroupTable table, string? afterPartitionKey, IReadOnlyList<string>? columns, CancellationToken cancellationToken) =>
        afterPartitionKey is null
            ? ReadAllAsync(table, columns, cancellationToken)
            : ReadAllAsync(table, columns, cancellationToken).Where(row => string.CompareOrdinal(row.PartitionKey, afterPartitionKey) > 0);

    /// <summary>Adds a row; false when one with its keys was already there.</summary>
    Task<bool> AddRowAsync(GroupTable table, TableEntity row, CancellationToken cancellationToken);

    /// <summary>Removes a row whatever it holds (it has no large values); nothing when there is none.</summary>
    Task DeleteRowAsync(GroupTable table, string partitionKey, string rowKey, CancellationToken cancellationToken);
}
