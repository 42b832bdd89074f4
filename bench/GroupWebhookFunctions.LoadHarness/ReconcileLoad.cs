using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Reconciling;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GroupWebhookFunctions.LoadHarness;

/// <summary>
/// Reconciliation against Azurite and the Tencent REST double: backfill throughput against the configured call
/// rate, calls per backfilled message, and what a pass over many complete groups costs in table reads and calls.
/// </summary>
public static class ReconcileLoad
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static async Task<string> RunAsync(string connection, int maxCallsPerSecond, int quietGroups, int activeGroups)
    {
        await using var rig = new ReconcileRig(connection, maxCallsPerSecond);
        var (tencent, counter, store, reconciler) = (rig.Tencent, rig.Counter, rig.Store, rig.Reconciler);
        var old = DateTimeOffset.UtcNow.AddHours(-2);
        var report = new StringBuilder();
        report.AppendLine(Culture, $"Reconciliation, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: Reconcile__MaxCallsPerSecond = {maxCallsPerSecond}, {Environment.ProcessorCount} cores, Azurite in memory, the Tencent REST double on loopback.");
        report.AppendLine();
        report.AppendLine("| scenario | messages written | calls | seconds | messages/s | ratio to rate x 20 | calls per message | table requests |");
        report.AppendLine("|---|---|---|---|---|---|---|---|");

        async Task Backfill(string label, int groups, int gap)
        {
            foreach (var table in new[] { StorageNames.MessageTable, StorageNames.SummaryTable })
                await new TableClient(connection, table).DeleteAsync();
            for (var g = 0; g < groups; g++)
            {
                var group = $"@TGS#{label.Replace(' ', '_')}{g}";
                tencent.AddMany(group, null, gap + 2, old.ToUnixTimeSeconds());
                await SeedAsync(store, new Conversation(group, null), [1, gap + 2], old, complete: null);
            }
            var (callsBefore, requestsBefore) = (tencent.HistoryCalls.Count, counter.Count);
            var watch = Stopwatch.StartNew();
            var pass = await reconciler.RunPassAsync(CancellationToken.None);
            watch.Stop();
            var calls = tencent.HistoryCalls.Count - callsBefore;
            var written = pass.Backfilled + pass.Absent;
            var perSecond = written / watch.Elapsed.TotalSeconds;
            report.AppendLine(Culture, $"| {label}: {groups} group(s), a gap of {gap} each | {written} | {calls} | {watch.Elapsed.TotalSeconds:F1} | {perSecond:F0} | {perSecond / (maxCallsPerSecond * 20.0):F2} | {(double)calls / written:F4} (bound {1.0 / 20 + (double)groups / written:F4}) | {counter.Count - requestsBefore} |");
            Console.WriteLine($"{label}: {written} in {watch.Elapsed.TotalSeconds:F1} s, {calls} calls");
        }

        await Backfill("one large gap", 1, 4000);
        await Backfill("gaps in four groups", 4, 2000);

        async Task Pass(string label, int groups, bool withNewMessage)
        {
            foreach (var table in new[] { StorageNames.MessageTable, StorageNames.SummaryTable })
                await new TableClient(connection, table).DeleteAsync();
            await Parallel.ForEachAsync(Enumerable.Range(0, groups), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (g, _) =>
                await SeedAsync(store, new Conversation($"@TGS#{label.Replace(' ', '_')}{g}", null), [5], old, complete: withNewMessage ? 4 : 5));
            var (callsBefore, requestsBefore) = (tencent.Calls.Count, counter.Count);
            var watch = Stopwatch.StartNew();
            var pass = await reconciler.RunPassAsync(CancellationToken.None);
            watch.Stop();
            var requests = counter.Count - requestsBefore;
            report.AppendLine(Culture, $"| {label}: {groups} groups, {(withNewMessage ? "each with one new message since the last pass" : "nothing new")} | {pass.Backfilled} | {tencent.Calls.Count - callsBefore} | {watch.Elapsed.TotalSeconds:F1} | - | - | - | {requests} ({(double)requests / groups:F2} a group) |");
            Console.WriteLine($"{label}: {requests} table requests, {watch.Elapsed.TotalSeconds:F1} s");
        }

        await Pass("complete store", quietGroups, withNewMessage: false);
        await Pass("active store", activeGroups, withNewMessage: true);
        return report.ToString();
    }

    /// <summary>Message rows at <paramref name="seqs"/> and a summary at the highest, as webhooks would have left them.</summary>
    private static async Task SeedAsync(TableGroupMessageStore store, Conversation conversation, long[] seqs, DateTimeOffset sent, long? complete)
    {
        foreach (var seq in seqs)
        {
            await store.AddMessageAsync(new TableEntity(conversation.MessagePartition, TableKeys.SequenceRow(seq))
            {
                [GroupMessageFields.GroupId] = conversation.GroupId,
                [GroupMessageFields.MsgSeq] = seq,
                [GroupMessageFields.MsgTime] = sent.ToUnixTimeSeconds() + seq,
                [GroupMessageColumns.ReceivedAt] = sent,
            }, CancellationToken.None);
        }
        var summary = new TableEntity(conversation.SummaryPartition, conversation.SummaryRow)
        {
            [GroupMessageFields.GroupId] = conversation.GroupId,
            [GroupMessageFields.MsgSeq] = seqs.Max(),
            [GroupMessageFields.MsgTime] = sent.ToUnixTimeSeconds() + seqs.Max(),
            [GroupMessageColumns.UpdatedAt] = complete is null ? DateTimeOffset.UtcNow : sent,
        };
        if (complete is { } watermark)
        {
            summary[GroupMessageColumns.CompleteThroughSeq] = watermark;
            summary[GroupMessageColumns.TailCheckedThroughSeq] = seqs.Max();
        }
        await store.AddRowAsync(GroupTable.Summaries, summary, CancellationToken.None);
    }
}
