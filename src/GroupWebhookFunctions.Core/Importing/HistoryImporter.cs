using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using GroupWebhookFunctions.Operating;
using GroupWebhookFunctions.Reconciling;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using Microsoft.Extensions.Logging;
using static GroupWebhookFunctions.Importing.ImportRecord;

namespace GroupWebhookFunctions.Importing;

/// <summary>
/// Starts imports of a conversation's past and describes them. An import is one page of history per queue message
/// (<see cref="ImportPageRunner"/>), so an import of any size survives restarts and scale-out and shares the instance's
/// call rate with reconciliation; its row in HistoryImports is the progress.
/// </summary>
public sealed class HistoryImporter(IGroupMessageStore store, QueueClient pages, TimeProvider clock, ILogger<HistoryImporter> log)
{
    /// <summary>
    /// Adds the import's row, Running, then queues its first page. When the page cannot be queued, the row is removed
    /// again before the failure goes back to the caller: nothing was started, and no Running row waits for a page that
    /// will never come.
    /// </summary>
    public async Task<string> StartAsync(HistoryImportRequest request, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var now = clock.GetUtcNow();
        var row = new TableEntity(id, Row)
        {
            [GroupMessageFields.GroupId] = request.GroupId,
            [Columns.State] = ImportState.Running,
            [Columns.PagesDone] = 0L,
            [Columns.MessagesWritten] = 0L,
            [Columns.Absent] = 0L,
            [Columns.CreatedAt] = now,
            [Columns.UpdatedAt] = now,
        };
        GroupMessageMapper.Set(row, GroupMessageFields.TopicId, request.TopicId);
        if (request.FromSeq is { } from)
            row[Columns.FromSeq] = from;
        if (request.ToSeq is { } to)
            row[Columns.ToSeq] = to;
        await store.AddRowAsync(GroupTable.Imports, row, cancellationToken).ConfigureAwait(false);
        try
        {
            await EnqueuePageAsync(pages, id, 1, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception notQueued) when (notQueued is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RemoveAsync(id, notQueued).ConfigureAwait(false);
            throw;
        }
        return id;
    }

    /// <summary>The import's progress as JSON, or null when there is no such import.</summary>
    public async Task<byte[]?> DescribeAsync(string id, CancellationToken cancellationToken)
    {
        if (await store.ReadRowAsync(GroupTable.Imports, id, Row, cancellationToken).ConfigureAwait(false) is not { } row)
            return null;
        var chains = await ImportProgress.ChainsAsync(store, id, cancellationToken).ConfigureAwait(false);
        var (pagesDone, messagesWritten, absent) = ImportProgress.Sum([row, .. chains]);
        var lastError = row.GetString(Columns.LastError) ?? chains.Select(chain => chain.GetString(Columns.LastError)).FirstOrDefault(error => error is not null);
        return OperationsJson.Write(writer =>
        {
            writer.WriteString("Id", id);
            writer.WriteString(GroupMessageFields.GroupId, row.GetString(GroupMessageFields.GroupId));
            WriteOrNull(writer, GroupMessageFields.TopicId, row.GetString(GroupMessageFields.TopicId));
            WriteOrNull(writer, Columns.FromSeq, row.GetInt64(Columns.FromSeq));
            WriteOrNull(writer, Columns.ToSeq, row.GetInt64(Columns.ToSeq));
            writer.WriteString(Columns.State, row.GetString(Columns.State));
            writer.WriteNumber(Columns.PagesDone, pagesDone);
            writer.WriteNumber(Columns.MessagesWritten, messagesWritten);
            writer.WriteNumber(Columns.Absent, absent);
            writer.WriteNumber(Columns.Chains, chains.Count);
            WriteOrNull(writer, Columns.LastError, lastError);
            writer.WriteString(Columns.CreatedAt, row.GetDateTimeOffset(Columns.CreatedAt) ?? default);
            writer.WriteString(Columns.UpdatedAt, row.GetDateTimeOffset(Columns.UpdatedAt) ?? default);
        });
    }

    private async Task RemoveAsync(string id, Exception notQueued)
    {
        try
        {
            await store.DeleteRowAsync(GroupTable.Imports, id, Row, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception notRemoved) when (notRemoved is not OperationCanceledException)
        {
            // Storage failed twice over: say so, and let the caller see the first failure.
            ReconcileLog.ImportNotStarted(log, notRemoved, id, notQueued.GetType().Name);
        }
    }

    private static void WriteOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
            writer.WriteNull(name);
        else
            writer.WriteString(name, value);
    }

    private static void WriteOrNull(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
            writer.WriteNumber(name, number);
        else
            writer.WriteNull(name);
    }
}
