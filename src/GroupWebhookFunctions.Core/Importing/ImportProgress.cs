using Azure.Data.Tables;
using GroupWebhookFunctions.Synchronizing;
using static GroupWebhookFunctions.Importing.ImportRecord;

namespace GroupWebhookFunctions.Importing;

/// <summary>An import's progress is its own row's plus its chains' rows': how they are read and added up.</summary>
public static class ImportProgress
{
    private static readonly string[] ChainColumns = [Columns.State, Columns.PagesDone, Columns.MessagesWritten, Columns.Absent, Columns.LastError];

    /// <summary>The import's chain rows (none before its first page is applied), in chain order.</summary>
    public static async Task<IReadOnlyList<TableEntity>> ChainsAsync(IGroupMessageStore store, string id, CancellationToken cancellationToken)
    {
        var chains = new List<TableEntity>();
        await foreach (var row in store.ReadRangeAsync(GroupTable.Imports, id, Row, ChainRow(ImportChains.Max), ChainColumns, cancellationToken).ConfigureAwait(false))
            chains.Add(row);
        return chains;
    }

    public static (long PagesDone, long MessagesWritten, long Absent) Sum(IEnumerable<TableEntity> rows)
    {
        long pages = 0, messages = 0, absent = 0;
        foreach (var row in rows)
        {
            pages += row.GetInt64(Columns.PagesDone) ?? 0;
            messages += row.GetInt64(Columns.MessagesWritten) ?? 0;
            absent += row.GetInt64(Columns.Absent) ?? 0;
        }
        return (pages, messages, absent);
    }
}
