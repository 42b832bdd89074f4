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
using Microsoft.Extensions.Logging.Abstractions;

namespace GroupWebhookFunctions.LoadHarness;

/// <summary>
/// Batched tail checks, bounded passes and discovery against Azurite and the Tencent REST double: calls per pass
/// over quiet complete groups against ceil(G/50), the memory the pass holds (live heap, forced collections, sampled
/// while it runs) against the baseline of holding every summary as the previous pass did, and the calls discovery
/// and one pass take to heal groups never seen.
/// </summary>
public static class DiscoveryLoad
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static async Task<string> RunAsync(string connection, int maxCallsPerSecond, IReadOnlyList<int> sizes, int unseenGroups)
    {
        await using var rig = new ReconcileRig(connection, maxCallsPerSecond);
        var (tencent, counter, store, metrics, state, reconciler) = (rig.Tencent, rig.Counter, rig.Store, rig.Metrics, rig.State, rig.Reconciler);
        var discoverer = rig.Discoverer();
        TableClient Table(string name) => rig.Table(name);

        var report = new StringBuilder();
        report.AppendLine(Culture, $"Discovery and batched tail checks, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: Reconcile__MaxCallsPerSecond = {maxCallsPerSecond}, {Environment.ProcessorCount} cores, Azurite in memory, the Tencent REST double on loopback (in the same process).");
        report.AppendLine();
        report.AppendLine("| scenario | groups | calls (tail-check / history / other) | bound | table requests | seconds | live heap before -> peak during the pass, MB | baseline: all summaries in a list, MB | ratio of growth to baseline |");
        report.AppendLine("|---|---|---|---|---|---|---|---|---|");

        var old = DateTimeOffset.UtcNow.AddHours(-2);
        foreach (var groups in sizes)
        {
            await ResetAsync(connection);
            tencent.Clear();
            var seed = Stopwatch.StartNew();
            var summaries = Table(StorageNames.SummaryTable);
            await summaries.CreateIfNotExistsAsync();
            // One partition each: a transaction cannot span groups, so seeding is one request a group.
            await Parallel.ForEachAsync(Enumerable.Range(0, groups), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (g, token) =>
            {
                var group = $"@TGS#quiet{groups}-{g:D7}";
                tencent.AddMany(group, null, 5, old.ToUnixTimeSeconds());
                await summaries.AddEntityAsync(new TableEntity(TableKeys.SummaryPartition(group), TableKeys.SummaryRow(null))
                {
                    [GroupMessageFields.GroupId] = group,
                    [GroupMessageFields.MsgSeq] = 5L,
                    [GroupMessageColumns.CompleteThroughSeq] = 5L,
                    [GroupMessageColumns.UpdatedAt] = old,
                }, token);
            });
            Console.WriteLine($"seeded {groups} quiet groups in {seed.Elapsed.TotalSeconds:F0} s");

            var baseline = await HeldAsync(async () =>
            {
                var all = new List<TableEntity>();
                await foreach (var row in store.ReadAllAsync(GroupTable.Summaries, null, CancellationToken.None))
                    all.Add(row);
                return all;
            });
            var (callsBefore, requestsBefore) = (tencent.Calls.Count, counter.Count);
            var watch = Stopwatch.StartNew();
            ReconcileReport? pass = null;
            var (live, peak) = await PeakAsync(async () => pass = await reconciler.RunPassAsync(CancellationToken.None));
            var held = Math.Max(0, peak - live);
            watch.Stop();
            var calls = tencent.Calls.Skip(callsBefore).ToList();
            var tailCalls = calls.Count(c => c.Command == TencentRestDouble.GroupInfoPath);
            var historyCalls = calls.Count(c => c.Command == TencentRestDouble.HistoryPath);
            var bound = (groups + 49) / 50;
            report.AppendLine(Culture, $"| quiet complete groups, one pass{(pass!.ReachedEnd ? "" : " (out of time)")} | {groups} | {calls.Count} ({tailCalls} / {historyCalls} / {calls.Count - tailCalls - historyCalls}) | ceil(G/50) = {bound} | {counter.Count - requestsBefore} | {watch.Elapsed.TotalSeconds:F1} | {Mb(live)} -> {Mb(peak)} | {Mb(baseline)} | {(double)held / baseline:F2} |");
            Console.WriteLine($"{groups}: {calls.Count} calls, {watch.Elapsed.TotalSeconds:F1} s, live {Mb(live)} -> peak {Mb(peak)} MB, baseline {Mb(baseline)} MB");
        }

        // Groups Tencent has and the store never saw, made after reconciliation started, 10 messages each.
        await ResetAsync(connection);
        tencent.Clear();
        var started = (await state.StartedAtAsync(CancellationToken.None)).ToUnixTimeSeconds();
        for (var g = 0; g < unseenGroups; g++)
        {
            var group = $"@TGS#unseen{g:D6}";
            tencent.Directory[group] = new DoubleGroup(CreateTime: started + 1);
            tencent.AddMany(group, null, 10, started + 2);
        }
        var (before, requestsAtStart) = (tencent.Calls.Count, counter.Count);
        var healWatch = Stopwatch.StartNew();
        var found = await discoverer.RunAsync(CancellationToken.None);
        var healed = await reconciler.RunPassAsync(CancellationToken.None);
        healWatch.Stop();
        var used = tencent.Calls.Count - before;
        var messages = 0;
        await foreach (var _ in store.ReadAllAsync(GroupTable.Messages, ["RowKey"], CancellationToken.None))
            messages++;
        var healBound = ((unseenGroups + 9_999) / 10_000) + (2 * ((unseenGroups + 49) / 50)) + unseenGroups;
        report.AppendLine(Culture, $"| unseen groups, 10 messages each: one discovery run + one pass ({found.GroupsFound} found, {messages} of {unseenGroups * 10} messages stored) | {unseenGroups} | {used} ({tencent.Calls.Skip(before).Count(c => c.Command == TencentRestDouble.GroupInfoPath)} group info / {tencent.Calls.Skip(before).Count(c => c.Command == TencentRestDouble.HistoryPath)} history / {tencent.Calls.Skip(before).Count(c => c.Command == TencentRestDouble.GroupListPath)} list) | ceil(G/10,000) + 2 ceil(G/50) + G = {healBound} | {counter.Count - requestsAtStart} | {healWatch.Elapsed.TotalSeconds:F1} | - | - | - |");
        Console.WriteLine($"unseen: {found.GroupsFound} found, {messages} messages, {used} calls, {healWatch.Elapsed.TotalSeconds:F1} s; pass backfilled {healed.Backfilled}");
        return report.ToString();
    }

    private static async Task ResetAsync(string connection)
    {
        foreach (var table in new[] { StorageNames.MessageTable, StorageNames.SummaryTable, StorageNames.ReconcileStateTable })
            await new TableClient(connection, table).DeleteAsync();
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F1", Culture);

    /// <summary>The live heap <paramref name="hold"/>'s result keeps, after full collections.</summary>
    private static async Task<long> HeldAsync(Func<Task<object>> hold)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var kept = await hold();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(kept);
        return after - before;
    }

    /// <summary>The live heap before <paramref name="run"/>, and its most while it runs: full collections, sampled every second.</summary>
    private static async Task<(long Before, long Peak)> PeakAsync(Func<Task> run)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var peak = before;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                try
                {
                    await Task.Delay(1000, done.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        await run();
        await done.CancelAsync();
        await sampler;
        return (before, peak);
    }
}
