using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Operating;
using GroupWebhookFunctions.Reconciling;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Importing;

public static class ImportState
{
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
}

/// <summary>
/// Imports a conversation's past, one page of history per queue message, so an import of any size survives restarts
/// and scale-out and shares the instance's call rate with reconciliation. Its row in HistoryImports is the
/// progress, and the page count in it is the guard: a page is applied only when it is the next one, so a redelivered
/// or duplicated message changes nothing twice. A page Tencent cannot serve now is put back on the queue for later,
/// never sent to the poison queue.
/// </summary>
public sealed class HistoryImporter(IGroupMessageStore store, QueueClient pages, QueueClient poisonPages, HistoryPuller puller, TimeProvider clock, ILogger<HistoryImporter> log,
    GroupWebhookMetrics metrics)
{
    public const string Source = "import";

    /// <summary>How long a page Tencent could not serve waits before it is tried again.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    private const string ImportRow = "";

    public static class Columns
    {
        public const string State = "State";
        public const string FromSeq = "FromSeq";
        public const string ToSeq = "ToSeq";
        public const string PagesDone = "PagesDone";
        public const string MessagesWritten = "MessagesWritten";
        public const string Absent = "Absent";
        public const string NextReqMsgSeq = "NextReqMsgSeq";
        public const string LastError = "LastError";
        public const string CreatedAt = "CreatedAt";
        public const string UpdatedAt = "UpdatedAt";
    }

    public static bool IsImportId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    public async Task<string> StartAsync(HistoryImportRequest request, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var now = clock.GetUtcNow();
        var row = new TableEntity(id, ImportRow)
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
        await EnqueueAsync(id, 1, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>The import's progress as JSON, or null when there is no such import.</summary>
    public async Task<byte[]?> DescribeAsync(string id, CancellationToken cancellationToken)
    {
        if (await store.ReadRowAsync(GroupTable.Imports, id, ImportRow, cancellationToken).ConfigureAwait(false) is not { } row)
            return null;
        return OperationsJson.Write(writer =>
        {
            writer.WriteString("Id", id);
            writer.WriteString(GroupMessageFields.GroupId, row.GetString(GroupMessageFields.GroupId));
            WriteOrNull(writer, GroupMessageFields.TopicId, row.GetString(GroupMessageFields.TopicId));
            WriteOrNull(writer, Columns.FromSeq, row.GetInt64(Columns.FromSeq));
            WriteOrNull(writer, Columns.ToSeq, row.GetInt64(Columns.ToSeq));
            writer.WriteString(Columns.State, row.GetString(Columns.State));
            writer.WriteNumber(Columns.PagesDone, row.GetInt64(Columns.PagesDone) ?? 0);
            writer.WriteNumber(Columns.MessagesWritten, row.GetInt64(Columns.MessagesWritten) ?? 0);
            writer.WriteNumber(Columns.Absent, row.GetInt64(Columns.Absent) ?? 0);
            WriteOrNull(writer, Columns.LastError, row.GetString(Columns.LastError));
            writer.WriteString(Columns.CreatedAt, row.GetDateTimeOffset(Columns.CreatedAt) ?? default);
            writer.WriteString(Columns.UpdatedAt, row.GetDateTimeOffset(Columns.UpdatedAt) ?? default);
        });
    }

    /// <summary>
    /// Applies one page message; <paramref name="dequeueCount"/> above 1 means an earlier attempt may have stopped
    /// half-way. A failure is handed back to the host for a retry, but on the last try the page is moved to its poison
    /// queue, never to expire, where a replay resumes the import.
    /// </summary>
    public async Task RunPageAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        try
        {
            await ApplyPageAsync(message, dequeueCount, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (QueueMessages.IsLastTry(dequeueCount) && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            await QueueMessages.SendAsync(poisonPages, BinaryData.FromString(message), null, cancellationToken).ConfigureAwait(false);
            ReconcileLog.ImportPagePoisoned(log, ex, new UntrustedText(message), dequeueCount, StorageNames.ImportPoisonQueue);
            metrics.Poisoned(null, "retries_exhausted", StorageNames.ImportPoisonQueue);
        }
    }

    private async Task ApplyPageAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        if (!TryReadMessage(message, out var id, out var page)
            || await store.ReadRowAsync(GroupTable.Imports, id, ImportRow, cancellationToken).ConfigureAwait(false) is not { } import
            || import.GetString(Columns.State) != ImportState.Running)
            return;

        var done = import.GetInt64(Columns.PagesDone) ?? 0;
        if (done == page && dequeueCount > 1)
        {
            // This page was applied and the attempt stopped before its successor was queued.
            await EnqueueAsync(id, page + 1, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (done != page - 1)
            return;

        var conversation = new Conversation(import.GetString(GroupMessageFields.GroupId)!, import.GetString(GroupMessageFields.TopicId));
        // A page after the first starts below a seq Tencent returned, so below its newest.
        var next = import.GetInt64(Columns.NextReqMsgSeq);
        var tally = new PullTally();
        PulledPage pulled;
        try
        {
            pulled = await puller.PullPageAsync(conversation, next ?? import.GetInt64(Columns.ToSeq), import.GetInt64(Columns.FromSeq) ?? 1, belowNewest: next is not null,
                closeEmptyRange: false, summaryLatest: null, tally, cancellationToken).ConfigureAwait(false);
        }
        catch (TencentApiException ex) when (!TencentApiException.MayPass(ex))
        {
            if (await UpdateAsync(id, page, row => Fail(row, ex.Message), cancellationToken).ConfigureAwait(false) is { } failed)
                Ended(id, conversation, failed);
            return;
        }
        catch (Exception ex) when (TencentApiException.MayPass(ex))
        {
            // Tencent is unavailable for now: the same page again later, and the import says why it waits.
            await UpdateAsync(id, page, row => row[Columns.LastError] = ex.Message, cancellationToken).ConfigureAwait(false);
            await EnqueueAsync(id, page, RetryDelay, cancellationToken).ConfigureAwait(false);
            var reason = ex.Message;
            ReconcileLog.ImportPageDeferred(log, id, page, reason, (int)RetryDelay.TotalSeconds);
            return;
        }

        metrics.HistoryWritten(Source, tally.Messages, tally.Recalled, tally.Absent);
        var finished = pulled.NextUpTo is null;
        var written = await UpdateAsync(id, page, row =>
        {
            row[Columns.PagesDone] = page;
            row[Columns.MessagesWritten] = (row.GetInt64(Columns.MessagesWritten) ?? 0) + tally.Messages;
            row[Columns.Absent] = (row.GetInt64(Columns.Absent) ?? 0) + tally.Absent;
            row.Remove(Columns.LastError);
            if (pulled.NextUpTo is { } next)
                row[Columns.NextReqMsgSeq] = next;
            if (finished)
                row[Columns.State] = ImportState.Succeeded;
        }, cancellationToken).ConfigureAwait(false);
        if (written is null)
            return;
        if (finished)
            Ended(id, conversation, written);
        else
            await EnqueueAsync(id, page + 1, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes the import's row only while <paramref name="page"/> is its next page; null when another attempt got there first.</summary>
    private Task<TableEntity?> UpdateAsync(string id, long page, Action<TableEntity> change, CancellationToken cancellationToken) =>
        store.ChangeRowAsync(GroupTable.Imports, id, ImportRow, current =>
        {
            if (current is null || current.GetString(Columns.State) != ImportState.Running || (current.GetInt64(Columns.PagesDone) ?? 0) != page - 1)
                return null;
            var row = RowMerge.Copy(current);
            change(row);
            row[Columns.UpdatedAt] = clock.GetUtcNow();
            return row;
        }, [], cancellationToken);

    private void Ended(string id, Conversation conversation, TableEntity row)
    {
        var (state, pagesDone, messages, absent) = (row.GetString(Columns.State) ?? "", row.GetInt64(Columns.PagesDone) ?? 0, row.GetInt64(Columns.MessagesWritten) ?? 0, row.GetInt64(Columns.Absent) ?? 0);
        ReconcileLog.ImportEnded(log, id, new UntrustedText(conversation.ToString()), state, pagesDone, messages, absent);
    }

    private static void Fail(TableEntity row, string reason)
    {
        row[Columns.State] = ImportState.Failed;
        row[Columns.LastError] = reason;
    }

    private async Task EnqueueAsync(string id, long page, TimeSpan delay, CancellationToken cancellationToken)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $$"""{"Id":"{{id}}","Page":{{page}}}""");
        await QueueMessages.SendAsync(pages, BinaryData.FromString(text), delay, cancellationToken).ConfigureAwait(false);
    }

    private static bool TryReadMessage(string message, out string id, out long page)
    {
        (id, page) = ("", 0);
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Id", out var idValue) && IsImportId(idValue.GetString())
                && root.TryGetProperty("Page", out var pageValue) && pageValue.TryGetInt64(out page) && page >= 1)
            {
                id = idValue.GetString()!;
                return true;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
        }
        return false;
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
