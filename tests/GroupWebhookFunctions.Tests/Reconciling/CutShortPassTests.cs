using GroupWebhookFunctions.Reconciling;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Reconciling;

/// <summary>A pass that stops part-way still counts every row it wrote, once.</summary>
public class CutShortPassTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Group = "@TGS#1CUTSHORT";

    [Fact]
    public async Task A_pass_out_of_time_counts_the_rows_it_wrote_and_the_passes_together_count_each_once()
    {
        Settings["Reconcile:MaxCallsPerSecond"] = "10";
        Settings["Reconcile:MaxPassSeconds"] = "1";
        Tencent.AddMany(Group, null, 1002, Now - 3600);
        Tencent.Remove(Group, null, 700);
        await ReceiveAsync(Group, [1, 1002]);

        var first = await PassAsync();

        var written = (await MessageRowsAsync(Group)).Count - 2;
        Assert.InRange(written, 1, 999);
        var summary = await SummaryAsync(Group);
        Assert.Equal(written, (summary.GetInt64(GroupMessageColumns.BackfilledCount) ?? 0) + (summary.GetInt64(GroupMessageColumns.AbsentCount) ?? 0));
        Assert.Equal(written, first.Backfilled + first.Absent);

        for (var pass = 0; pass < 10 && (await MessageRowsAsync(Group)).Count < 1002; pass++)
            await PassAsync();
        await PassAsync();

        summary = await SummaryAsync(Group);
        Assert.Equal(1002, summary.GetInt64(GroupMessageColumns.CompleteThroughSeq));
        Assert.Equal((999L, 1L), (summary.GetInt64(GroupMessageColumns.BackfilledCount)!.Value, summary.GetInt64(GroupMessageColumns.AbsentCount)!.Value));
    }

    [Fact]
    public async Task A_pass_the_host_stops_counts_the_rows_it_wrote()
    {
        Settings["Reconcile:MaxCallsPerSecond"] = "10";
        Tencent.AddMany(Group, null, 1002, Now - 3600);
        await ReceiveAsync(Group, [1, 1002]);
        using var hostStopping = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => App.Get<Reconciler>().RunPassAsync(hostStopping.Token));

        var written = (await MessageRowsAsync(Group)).Count - 2;
        Assert.InRange(written, 1, 999);
        Assert.Equal(written, (await SummaryAsync(Group)).GetInt64(GroupMessageColumns.BackfilledCount));
    }
}
