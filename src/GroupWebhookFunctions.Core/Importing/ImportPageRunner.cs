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
        if (!TryReadPage(message, out var id, out var chain, out var page))
            return;
        var note = $"Page {page} failed {tries} tries ({failure.GetType().Name}: {failure.Message}). It waits in {StorageNames.ImportPoisonQueue}: "
            + $"POST /api/ops/poison/replay?queue={StorageNames.ImportPoisonQueue} resumes the import.";
        try
        {
            await UpdateAsync(id, chain, page, row => row[Columns.LastError] = note, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception noteFailure) when (noteFailure is not OperationCanceledException)
        {
            ReconcileLog.ImportNoteNotWritten(log, id, noteFailure.GetType().Name);
        }
    }

    private async Task ApplyPageAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        if (!TryReadPage(message, out var id, out var chain, out var page)
            || await store.ReadRowAsync(GroupTable.Imports, id, Row, cancellationToken).ConfigureAwait(false) is not { } import)
            return;
        var progress = chain == 0 ? import : await store.ReadRowAsync(GroupTable.Imports, id, ChainRow(chain), cancellationToken).ConfigureAwait(false);
        if (progress is null)
            return;
        if (import.GetString(Columns.State) != ImportState.Running)
        {
            // Another chain failed the import: this one stops too, and says so.
            if (chain > 0 && progress.GetString(Columns.State) == ImportState.Running)
                await ChangeAsync(id, chain, row => row.GetString(Columns.State) == ImportState.Running, row => row[Columns.State] = import.GetString(Columns.State), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (progress.GetString(Columns.State) != ImportState.Running)
        {
            // The chain ended and the attempt stopped before the import was told.
            await FinishIfAllEndedAsync(id, import, cancellationToken).ConfigureAwait(false);
            return;
        }

        var done = progress.GetInt64(Columns.PagesDone) ?? 0;
        if (done == page && dequeueCount > 1)
        {
            // This page was applied and the attempt stopped before its successors were queued.
            await ContinueAsync(id, chain, page, import, progress, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (done != page - 1)
            return;

        var conversation = new Conversation(import.GetString(GroupMessageFields.GroupId)!, import.GetString(GroupMessageFields.TopicId));
        var floor = import.GetInt64(Columns.FromSeq) ?? 1;
        var nextReqMsgSeq = progress.GetInt64(Columns.NextReqMsgSeq);
        var top = progress.GetInt64(Columns.ToSeq);
        var chains = (int)(import.GetInt64(Columns.Chains) ?? 0);
        var (upTo, pageFloor) = chain == 0 ? (nextReqMsgSeq ?? top, floor) : (nextReqMsgSeq, ImportChains.PageFloor(top!.Value, floor, nextReqMsgSeq!.Value));
        var tally = new PullTally();
        PulledPage pulled;
        try
        {
            // A page after the first starts below a seq Tencent returned, so below its newest.
            pulled = await puller.PullPageAsync(conversation, upTo, pageFloor, belowNewest: chain > 0 || nextReqMsgSeq is not null, closeEmptyRange: false,
                summaryLatest: null, tally, cancellationToken, closeAboveOlder: true).ConfigureAwait(false);
        }
        catch (RowRefusedException ex)
        {
            // No retry stores what Table Storage refuses: the import ends, saying why.
            await FailAsync(id, chain, page, ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (TencentApiException ex) when (!TencentApiException.MayPass(ex))
        {
            await FailAsync(id, chain, page, ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (TencentApiException.MayPass(ex))
        {
            // Tencent is unavailable for now: the same page again later, and the import says why it waits.
            await UpdateAsync(id, chain, page, row => row[Columns.LastError] = ex.Message, cancellationToken).ConfigureAwait(false);
            await EnqueuePageAsync(pages, id, page, RetryDelay, cancellationToken, chain).ConfigureAwait(false);
            var reason = ex.Message;
            ReconcileLog.ImportPageDeferred(log, id, page, reason, (int)RetryDelay.TotalSeconds);
            return;
        }

        metrics.HistoryWritten(Source, tally.Messages, tally.Recalled, tally.Absent);
        var next = chain == 0 ? pulled.NextUpTo : ImportChains.Next(top!.Value, floor, chains, upTo!.Value, pulled.NextUpTo, pulled.NothingBelow);
        var written = await UpdateAsync(id, chain, page, row =>
        {
            row[Columns.PagesDone] = page;
            row[Columns.MessagesWritten] = (row.GetInt64(Columns.MessagesWritten) ?? 0) + tally.Messages;
            row[Columns.Absent] = (row.GetInt64(Columns.Absent) ?? 0) + tally.Absent;
            row.Remove(Columns.LastError);
            if (next is { } below)
                row[Columns.NextReqMsgSeq] = below;
            else
                row[Columns.State] = ImportState.Succeeded;
            // After its first page an import goes on in chains: the plan is fixed here, so a replay makes the same.
            if (chain == 0 && next is { } rest)
                row[Columns.Chains] = (long)ImportChains.Count(rest, floor);
        }, cancellationToken).ConfigureAwait(false);
        if (written is not null)
            await ContinueAsync(id, chain, page, chain == 0 ? written : import, written, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What follows an applied page: its chain's next page, the chains after the first page, or the end.</summary>
    private async Task ContinueAsync(string id, int chain, long page, TableEntity import, TableEntity progress, CancellationToken cancellationToken)
    {
        if (progress.GetString(Columns.State) != ImportState.Running)
        {
            if (chain == 0)
                Ended(id, import, [import]);
            else
                await FinishIfAllEndedAsync(id, import, cancellationToken).ConfigureAwait(false);
        }
        else if (chain == 0 && import.GetInt64(Columns.Chains) is { } chains)
            await StartChainsAsync(id, import, (int)chains, cancellationToken).ConfigureAwait(false);
        else
            await EnqueuePageAsync(pages, id, page + 1, TimeSpan.Zero, cancellationToken, chain).ConfigureAwait(false);
    }

    /// <summary>Adds each chain's row (a replay finds them there) and queues each chain's first page.</summary>
    private async Task StartChainsAsync(string id, TableEntity import, int chains, CancellationToken cancellationToken)
    {
        var top = import.GetInt64(Columns.NextReqMsgSeq)!.Value;
        var floor = import.GetInt64(Columns.FromSeq) ?? 1;
        var now = clock.GetUtcNow();
        for (var chain = 1; chain <= chains; chain++)
        {
            await store.AddRowAsync(GroupTable.Imports, new TableEntity(id, ChainRow(chain))
            {
                [Columns.State] = ImportState.Running,
                [Columns.FromSeq] = floor,
                [Columns.ToSeq] = top,
                [Columns.NextReqMsgSeq] = ImportChains.FirstUpTo(top, chain),
                [Columns.PagesDone] = 0L,
                [Columns.MessagesWritten] = 0L,
                [Columns.Absent] = 0L,
                [Columns.CreatedAt] = now,
                [Columns.UpdatedAt] = now,
            }, cancellationToken).ConfigureAwait(false);
        }
        for (var chain = 1; chain <= chains; chain++)
            await EnqueuePageAsync(pages, id, 1, TimeSpan.Zero, cancellationToken, chain).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the import when every chain has: Succeeded when all did. Each chain records its own end before it looks,
    /// so of two chains ending at once at least one sees both ended; ending twice changes nothing.
    /// </summary>
    private async Task FinishIfAllEndedAsync(string id, TableEntity import, CancellationToken cancellationToken)
    {
        var chains = await ImportProgress.ChainsAsync(store, id, cancellationToken).ConfigureAwait(false);
        if (chains.Count < (import.GetInt64(Columns.Chains) ?? 0) || chains.Any(row => row.GetString(Columns.State) == ImportState.Running))
            return;
        var ended = await store.ChangeRowAsync(GroupTable.Imports, id, Row, current =>
        {
            if (current?.GetString(Columns.State) != ImportState.Running)
                return null;
            var row = RowMerge.Copy(current);
            row[Columns.State] = chains.All(c => c.GetString(Columns.State) == ImportState.Succeeded) ? ImportState.Succeeded : ImportState.Failed;
            row[Columns.UpdatedAt] = clock.GetUtcNow();
            return row;
        }, [], cancellationToken).ConfigureAwait(false);
        if (ended is not null)
            Ended(id, ended, [ended, .. chains]);
    }

    /// <summary>Changes the progress row only while <paramref name="page"/> is its next page; null when another attempt got there first.</summary>
    private Task<TableEntity?> UpdateAsync(string id, int chain, long page, Action<TableEntity> change, CancellationToken cancellationToken) =>
        ChangeAsync(id, chain, current => current.GetString(Columns.State) == ImportState.Running && (current.GetInt64(Columns.PagesDone) ?? 0) == page - 1, change, cancellationToken);

    private Task<TableEntity?> ChangeAsync(string id, int chain, Func<TableEntity, bool> when, Action<TableEntity> change, CancellationToken cancellationToken) =>
        store.ChangeRowAsync(GroupTable.Imports, id, ChainRow(chain), current =>
        {
            if (current is null || !when(current))
                return null;
            var row = RowMerge.Copy(current);
            change(row);
            row[Columns.UpdatedAt] = clock.GetUtcNow();
            return row;
        }, [], cancellationToken);

    private void Ended(string id, TableEntity import, IReadOnlyList<TableEntity> progress)
    {
        var conversation = new Conversation(import.GetString(GroupMessageFields.GroupId) ?? "", import.GetString(GroupMessageFields.TopicId));
        var (pagesDone, messages, absent) = ImportProgress.Sum(progress);
        var state = import.GetString(Columns.State) ?? "";
        ReconcileLog.ImportEnded(log, id, new UntrustedText(conversation.ToString()), state, pagesDone, messages, absent);
    }

    /// <summary>Fails the chain and with it the import, saying why: the other chains stop at their next page.</summary>
    private async Task FailAsync(string id, int chain, long page, string reason, CancellationToken cancellationToken)
    {
        void Fail(TableEntity row)
        {
            row[Columns.State] = ImportState.Failed;
            row[Columns.LastError] = reason;
        }
        if (await UpdateAsync(id, chain, page, Fail, cancellationToken).ConfigureAwait(false) is not { } failed)
            return;
        var import = chain == 0 ? failed : await ChangeAsync(id, 0, row => row.GetString(Columns.State) == ImportState.Running, Fail, cancellationToken).ConfigureAwait(false);
        if (import is not null)
            Ended(id, import, chain == 0 ? [import] : [import, .. await ImportProgress.ChainsAsync(store, id, cancellationToken).ConfigureAwait(false)]);
    }
}
