using Azure.Data.Tables;
using Azure.Storage.Queues;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Reconciling;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;
using Microsoft.Extensions.Logging;
using static GroupWebhookFunctions.Importing.ImportRecord;

namespace GroupWebhookFunctions.Importing;

/// <summary>
/// Applies one page of an import: pulls it, writes its rows, records it, queues the next. The page count in the
/// import's row is the guard: a page is applied only when it is the next one, so a redelivered or duplicated message
/// changes nothing twice. Every import ends Succeeded, or Failed with the reason, or waits where it can be resumed:
/// a page Tencent cannot serve now goes back on the queue for later; Tencent's refusal, or a row Table Storage
/// refuses, fails the import; any other failure is retried by the host, and on the last try the page is moved to
/// history-import-pages-poison, never to expire, where a replay resumes the import.
/// </summary>
public sealed class ImportPageRunner(IGroupMessageStore store, QueueClient pages, QueueClient poisonPages, HistoryPuller puller, TimeProvider clock,
    ILogger<ImportPageRunner> log, GroupWebhookMetrics metrics)
{
    public const string Source = "import";

    /// <summary>How long a page Tencent could not serve waits before it is tried again.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

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
            await SayWhereItWaitsAsync(message, ex, dequeueCount).ConfigureAwait(false);
        }
    }

    /// <summary>Notes on the import, when storage lets, that its next page waits in the poison queue: the page is safe there either way.</summary>
    private async Task SayWhereItWaitsAsync(string message, Exception failure, long tries)
    {
        if (!TryReadPage(message, out var id, out var page))
            return;
        var note = $"Page {page} failed {tries} tries ({failure.GetType().Name}: {failure.Message}). It waits in {StorageNames.ImportPoisonQueue}: "
            + $"POST /api/ops/poison/replay?queue={StorageNames.ImportPoisonQueue} resumes the import.";
        try
        {
            await UpdateAsync(id, page, row => row[Columns.LastError] = note, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception noteFailure) when (noteFailure is not OperationCanceledException)
        {
            ReconcileLog.ImportNoteNotWritten(log, id, noteFailure.GetType().Name);
        }
    }

    private async Task ApplyPageAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        if (!TryReadPage(message, out var id, out var page)
            || await store.ReadRowAsync(GroupTable.Imports, id, Row, cancellationToken).ConfigureAwait(false) is not { } import
            || import.GetString(Columns.State) != ImportState.Running)
            return;

        var done = import.GetInt64(Columns.PagesDone) ?? 0;
        if (done == page && dequeueCount > 1)
        {
            // This page was applied and the attempt stopped before its successor was queued.
            await EnqueuePageAsync(pages, id, page + 1, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (done != page - 1)
            return;

        var conversation = new Conversation(import.GetString(GroupMessageFields.GroupId)!, import.GetString(GroupMessageFields.TopicId));
        // A page after the first starts below a seq Tencent returned, so below its newest.
        var nextReqMsgSeq = import.GetInt64(Columns.NextReqMsgSeq);
        var tally = new PullTally();
        PulledPage pulled;
        try
        {
            pulled = await puller.PullPageAsync(conversation, nextReqMsgSeq ?? import.GetInt64(Columns.ToSeq), import.GetInt64(Columns.FromSeq) ?? 1,
                belowNewest: nextReqMsgSeq is not null, closeEmptyRange: false, summaryLatest: null, tally, cancellationToken).ConfigureAwait(false);
        }
        catch (RowRefusedException ex)
        {
            // No retry stores what Table Storage refuses: the import ends, saying why.
            await FailAsync(id, page, conversation, ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (TencentApiException ex) when (!TencentApiException.MayPass(ex))
        {
            await FailAsync(id, page, conversation, ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (TencentApiException.MayPass(ex))
        {
            // Tencent is unavailable for now: the same page again later, and the import says why it waits.
            await UpdateAsync(id, page, row => row[Columns.LastError] = ex.Message, cancellationToken).ConfigureAwait(false);
            await EnqueuePageAsync(pages, id, page, RetryDelay, cancellationToken).ConfigureAwait(false);
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
            await EnqueuePageAsync(pages, id, page + 1, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes the import's row only while <paramref name="page"/> is its next page; null when another attempt got there first.</summary>
    private Task<TableEntity?> UpdateAsync(string id, long page, Action<TableEntity> change, CancellationToken cancellationToken) =>
        store.ChangeRowAsync(GroupTable.Imports, id, Row, current =>
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

    private async Task FailAsync(string id, long page, Conversation conversation, string reason, CancellationToken cancellationToken)
    {
        var failed = await UpdateAsync(id, page, row =>
        {
            row[Columns.State] = ImportState.Failed;
            row[Columns.LastError] = reason;
        }, cancellationToken).ConfigureAwait(false);
        if (failed is not null)
            Ended(id, conversation, failed);
    }
}
