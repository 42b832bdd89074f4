using Azure.Data.Tables;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;
using Microsoft.Extensions.Logging;
using static GroupWebhookFunctions.Synchronizing.GroupMessageColumns;

namespace GroupWebhookFunctions.Reconciling;

/// <summary>What one reconcile pass did.</summary>
public sealed record ReconcileReport(
    bool Enabled,
    int ConversationsChecked,
    int GapsFound,
    int Backfilled,
    int Recalled,
    int Absent,
    int TailChecks,
    int Rechecked,
    int Edited,
    int Calls,
    int Errors,
    string? StoppedBecause)
{
    public static readonly ReconcileReport Off = new(false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);
}

/// <summary>
/// One pass over every group and topic the store knows: where the latest seq is above the watermark
/// (<c>CompleteThroughSeq</c>), find the missing seqs with a range query on the message rows, pull them from Tencent's
/// history and move the watermark; where a group has been quiet, ask once for its newest seq (the tail check).
/// AVChatRoom groups (no history), disbanded groups, deleted topics and groups Tencent says are gone are skipped.
/// A pass that cannot reach Tencent stops and leaves the rest for the next one: nothing is lost by waiting.
/// </summary>
public sealed class Reconciler(
    IGroupMessageStore store,
    HistoryPuller puller,
    EditFinder edits,
    TencentChatOptions chat,
    ReconcileOptions options,
    TimeProvider clock,
    ILogger<Reconciler> log,
    GroupWebhookMetrics metrics)
{
    public const string Source = "backfill";

    private readonly ConversationReconciler _conversations = new(store, puller, edits, options, log);

    public async Task<ReconcileReport> RunPassAsync(CancellationToken cancellationToken)
    {
        if (!chat.ReconcilesHistory)
            return ReconcileReport.Off;

        var now = clock.GetUtcNow();
        var summaries = new List<TableEntity>();
        await foreach (var summary in store.ReadAllAsync(GroupTable.Summaries, null, cancellationToken).ConfigureAwait(false))
            summaries.Add(summary);
        var groupsLeftAlone = summaries.Where(s => s.RowKey.Length == 0 && IsLeftAlone(s)).Select(s => s.PartitionKey).ToHashSet(StringComparer.Ordinal);
        var due = summaries.Where(s => !groupsLeftAlone.Contains(s.PartitionKey) && !IsLeftAlone(s) && s.GetString(GroupMessageFields.GroupId) is not null
            && (_conversations.IsDue(s, now) || _conversations.IsRecheckDue(s, now))).ToList();

        var tally = new PassTally();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(options.MaxPassSeconds), TimeProvider.System);
        using var stopOnBudget = budget.Token.Register(stop.Cancel);
        try
        {
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = stop.Token }, async (summary, token) =>
            {
                try
                {
                    await _conversations.ReconcileAsync(Of(summary), summary, now, tally, token).ConfigureAwait(false);
                }
                catch (TencentApiException ex) when (ex.Failure == RestFailure.GroupGone)
                {
                    await MarkGoneAsync(Of(summary), now, token).ConfigureAwait(false);
                    ReconcileLog.GroupGone(log, new UntrustedText(Of(summary).ToString()), ex.ErrorCode);
                }
                catch (Exception ex) when (TencentApiException.MeaningOf(ex) == RestFailure.Configuration || TencentApiException.MayPass(ex))
                {
                    // Every other conversation would fail the same way: stop, and let the next pass go on.
                    tally.Stop(TencentApiException.MayPass(ex)
                        ? $"Tencent's REST API could not be reached after retries ({ex.Message}); the next pass goes on where this one stopped."
                        : ex.Message);
                    await stop.CancelAsync().ConfigureAwait(false);
                }
                catch (TencentApiException ex)
                {
                    Interlocked.Increment(ref tally.Errors);
                    ReconcileLog.ConversationFailed(log, new UntrustedText(Of(summary).ToString()), ex.Message);
                }
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped on purpose (Tencent failed: the reason is in the tally), out of time, or by the host: report what was done.
        }
        if (budget.IsCancellationRequested)
            ReconcileLog.OutOfTime(log, options.MaxPassSeconds);

        var report = tally.Report();
        metrics.GapsFound(report.GapsFound);
        metrics.HistoryWritten(Source, report.Backfilled, report.Recalled, report.Absent);
        if (report.StoppedBecause is { } reason)
            ReconcileLog.Stopped(log, reason);
        ReconcileLog.Pass(log, report.ConversationsChecked, report.GapsFound, report.Backfilled, report.Recalled, report.Absent, report.TailChecks, report.Rechecked,
            report.Edited, report.Calls, report.Errors);
        cancellationToken.ThrowIfCancellationRequested();
        return report;
    }

    /// <summary>Ended (disbanded, deleted, gone at Tencent), or never with a history to reconcile against (AVChatRoom).</summary>
    private static bool IsLeftAlone(TableEntity summary) =>
        summary.GetBoolean(Disbanded) == true || summary.GetBoolean(Deleted) == true || summary.GetBoolean(GroupGone) == true
        || string.Equals(summary.GetString(GroupMessageFields.Type), MessageIdentity.AudioVideoGroupType, StringComparison.OrdinalIgnoreCase);

    private static Conversation Of(TableEntity summary) =>
        new(summary.GetString(GroupMessageFields.GroupId)!, summary.GetString(GroupMessageFields.TopicId) is { Length: > 0 } topic ? topic : null);

    /// <summary>
    /// Marks the conversation Tencent answered for as gone: the group's row for a group, the topic's own row for a topic,
    /// so one topic Tencent does not know leaves the rest of its community reconciled.
    /// </summary>
    private async Task MarkGoneAsync(Conversation conversation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (partition, row) = (conversation.SummaryPartition, conversation.SummaryRow);
        var names = new Dictionary<string, object> { [GroupMessageFields.GroupId] = conversation.GroupId };
        if (conversation.TopicId is { } topicId)
            names[GroupMessageFields.TopicId] = topicId;
        await store.ChangeRowAsync(GroupTable.Summaries, partition, row,
            current => RowMerge.End(current, partition, row, GroupGone, GroupGoneAt, now.ToUnixTimeMilliseconds(), null, null, names),
            [], cancellationToken).ConfigureAwait(false);
    }
}
