using GroupWebhookFunctions.Functions;
using GroupWebhookFunctions.Importing;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Reconciling;

/// <summary>An import's range fetched by several chains at once (Azurite and the REST double).</summary>
public class ImportChainTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Group = "@TGS#1CHAINED";

    [Theory]
    [InlineData(1000L, 1L, 16)]
    [InlineData(980L, 1L, 3)]
    [InlineData(57L, 31L, 16)]
    [InlineData(20L, 1L, 16)]
    [InlineData(4_294_967_295L, 4_294_960_000L, 16)]
    public void The_chains_pages_cover_the_range_without_gap_or_overlap(long top, long floor, int chains)
    {
        chains = Math.Min(chains, ImportChains.Count(top, floor));
        var covered = new List<long>();
        for (var chain = 1; chain <= chains; chain++)
        {
            for (long? upTo = ImportChains.FirstUpTo(top, chain); upTo is { } at; upTo = ImportChains.Next(top, floor, chains, at, null, nothingBelow: false))
            {
                for (var seq = ImportChains.PageFloor(top, floor, at); seq <= at; seq++)
                    covered.Add(seq);
            }
        }

        Assert.Equal(top - floor + 1, covered.Count);
        Assert.Equal(top - floor + 1, covered.Distinct().Count());
        Assert.Equal(floor, covered.Min());
        Assert.Equal(top, covered.Max());
    }

    [Fact]
    public async Task A_range_import_in_chains_asks_for_each_seq_once_and_writes_each_row_once()
    {
        Tencent.AddMany(Group, null, 700, Now - 7200);
        var id = await HistoryImports.StartAsync(App, $$"""{"GroupId":"{{Group}}","FromSeq":17,"ToSeq":650}""");

        await HistoryImports.RunPagesAsync(Azurite, App, int.MaxValue);

        var asked = Tencent.HistoryCalls.SelectMany(call => Enumerable.Range(0, call.ReqMsgNumber).Select(i => call.ReqMsgSeq!.Value - i)).ToList();
        Assert.Equal(Enumerable.Range(17, 634).Select(i => (long)i), asked.Order());
        Assert.Equal(Enumerable.Range(17, 634).Select(i => (long)i), (await MessageRowsAsync(Group)).Keys.Order());
        var progress = await HistoryImports.ProgressAsync(App, id);
        Assert.Equal("Succeeded", progress.GetProperty("State").GetString());
        Assert.Equal(634, progress.GetProperty("MessagesWritten").GetInt64());
        Assert.Equal(16, progress.GetProperty("Chains").GetInt32());
        Assert.Equal(Tencent.HistoryCalls.Count, progress.GetProperty("PagesDone").GetInt64());
    }

    [Fact]
    public async Task Every_page_delivered_twice_changes_nothing_twice()
    {
        Tencent.AddMany(Group, null, 500, Now - 7200);
        var id = await HistoryImports.StartAsync(App, $$"""{"GroupId":"{{Group}}"}""");

        // Each page message runs, then runs again as a redelivery (the host lost the deletion), before it is deleted.
        while (await TakeAllAsync(StorageNames.ImportQueue) is { Count: > 0 } taken)
        {
            foreach (var message in taken)
            {
                await App.Get<ImportHistoryPageFunction>().RunAsync(message.Body.ToString(), new TestFunctionContext(), CancellationToken.None);
                await App.Get<ImportHistoryPageFunction>().RunAsync(message.Body.ToString(), new TestFunctionContext(dequeueCount: 2), CancellationToken.None);
                await Azurite.Queue(StorageNames.ImportQueue).DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        var progress = await HistoryImports.ProgressAsync(App, id);
        Assert.Equal("Succeeded", progress.GetProperty("State").GetString());
        Assert.Equal(500, progress.GetProperty("MessagesWritten").GetInt64());
        Assert.Equal(25, progress.GetProperty("PagesDone").GetInt64());
        Assert.Equal(25, Tencent.HistoryCalls.Count);
        Assert.Equal(500, (await MessageRowsAsync(Group)).Count);
    }

    [Fact]
    public async Task Chains_stop_where_Tencent_keeps_nothing_older_and_the_import_succeeds()
    {
        Tencent.AddMany(Group, null, 2000, Now - 7200);
        Tencent.RetentionFloor = 1801;
        var id = await HistoryImports.StartAsync(App, $$"""{"GroupId":"{{Group}}"}""");

        await HistoryImports.RunPagesAsync(Azurite, App, int.MaxValue);

        var rows = await MessageRowsAsync(Group);
        Assert.Equal(Enumerable.Range(1801, 200).Select(i => (long)i), rows.Keys.Order());
        var progress = await HistoryImports.ProgressAsync(App, id);
        Assert.Equal("Succeeded", progress.GetProperty("State").GetString());
        Assert.Equal(0, progress.GetProperty("Absent").GetInt64());
        // Ten pages of messages, and one empty answer for each chain that reached below what Tencent keeps.
        Assert.True(Tencent.HistoryCalls.Count <= 10 + ImportChains.Max, $"{Tencent.HistoryCalls.Count} calls");
    }

    [Fact]
    public async Task A_chain_Tencent_refuses_fails_the_import_and_stops_the_others()
    {
        Tencent.AddMany(Group, null, 400, Now - 7200);
        var id = await HistoryImports.StartAsync(App, $$"""{"GroupId":"{{Group}}"}""");
        await HistoryImports.RunPagesAsync(Azurite, App, 1);
        Tencent.GoneGroups[Group] = true;

        await HistoryImports.RunPagesAsync(Azurite, App, int.MaxValue);

        var progress = await HistoryImports.ProgressAsync(App, id);
        Assert.Equal("Failed", progress.GetProperty("State").GetString());
        Assert.Contains("10010", progress.GetProperty("LastError").GetString());
        Assert.DoesNotContain(await RowsAsync(StorageNames.ImportTable), row => row.PartitionKey == id && row.GetString("State") == "Running");
        Assert.Empty(await TakeAllAsync(StorageNames.ImportQueue));
    }
}
