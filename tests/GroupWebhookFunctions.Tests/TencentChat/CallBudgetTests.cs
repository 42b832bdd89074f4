using System.Collections.Concurrent;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat.Rest;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.TencentChat;

/// <summary>The call budget held across instances by the ledger in Table Storage (Azurite).</summary>
[Collection(AzuriteCollection.Name)]
public class CallBudgetTests(Azurite azurite, Xunit.Abstractions.ITestOutputHelper output)
{
    private readonly string _scope = "test-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Two_instances_on_one_table_never_start_more_than_the_limit_in_any_second()
    {
        const int limit = 5;
        using var first = new CallBudget(Ledger(), limit, TimeProvider.System);
        using var second = new CallBudget(Ledger(), limit, TimeProvider.System);
        var starts = new ConcurrentBag<DateTimeOffset>();

        // Twelve callers on each instance, all wanting to call at once, for about three seconds of budget.
        var callers = new[] { first, second }.SelectMany(budget => Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                await budget.Scope(_scope, limit).WaitAsync(CancellationToken.None);
                starts.Add(DateTimeOffset.UtcNow);
            }
        })));
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(48, starts.Count);
        Assert.True(MostInOneSecond(starts) <= limit, $"{MostInOneSecond(starts)} calls started within one second; {limit} allowed.");
        var perCall = (double)(first.Ledger.StorageRequests + second.Ledger.StorageRequests) / starts.Count;
        output.WriteLine($"{perCall:F2} storage requests per call, two instances contending");
        Assert.True(perCall < 6, $"{perCall:F2} storage requests per call");
    }

    [Fact]
    public async Task A_named_scope_holds_its_own_limit_across_instances()
    {
        using var first = new CallBudget(Ledger(), 200, TimeProvider.System);
        using var second = new CallBudget(Ledger(), 200, TimeProvider.System);
        var starts = new ConcurrentBag<DateTimeOffset>();

        var callers = new[] { first, second }.SelectMany(budget => Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await budget.Scope(_scope, 1).WaitAsync(CancellationToken.None);
            starts.Add(DateTimeOffset.UtcNow);
        })));
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30));

        var ordered = starts.Order().ToList();
        Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(1), $"{(pair.Second - pair.First).TotalMilliseconds} ms apart"));
    }

    [Fact]
    public async Task One_instance_alone_costs_one_storage_request_a_call()
    {
        using var alone = new CallBudget(Ledger(), 50, TimeProvider.System);
        for (var i = 0; i < 20; i++)
            await alone.Scope(_scope, 50).WaitAsync(CancellationToken.None);

        // The first reads (and adds) the row; every later call is one conditional write.
        output.WriteLine($"{alone.Ledger.StorageRequests} storage requests for 20 calls, one instance");
        Assert.True(alone.Ledger.StorageRequests <= 23, $"{alone.Ledger.StorageRequests} requests for 20 calls");
    }

    [Fact]
    public async Task When_the_ledger_cannot_be_reached_no_call_is_let_through()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(2);
        using var cutOff = new CallBudget(new CallBudgetLedger(new TableClient(Azurite.UnreachableConnectionString, StorageNames.BudgetTable, options), TimeProvider.System),
            5, TimeProvider.System);

        var refused = await Assert.ThrowsAsync<TencentApiException>(() => cutOff.All.WaitAsync(CancellationToken.None));

        Assert.Equal(RestFailure.Transient, refused.Failure);
        Assert.Contains(StorageNames.BudgetTable, refused.Message);
    }

    [Fact]
    public async Task A_call_that_cannot_start_in_time_reserves_again()
    {
        var late = new LateClock();
        using var budget = new CallBudget(Ledger(), 5, late);

        late.Lag = CallBudgetLedger.Slack + TimeSpan.FromMilliseconds(100);
        var waiting = budget.Scope(_scope, 5).WaitAsync(CancellationToken.None);
        await Task.Delay(300);
        late.Lag = TimeSpan.Zero;
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(budget.Scope(_scope, 5).Abandoned >= 1);
    }

    private CallBudgetLedger Ledger() => new(azurite.Table(StorageNames.BudgetTable), TimeProvider.System);

    /// <summary>The most starts in any one-second window [t, t + 1 s).</summary>
    internal static int MostInOneSecond(IEnumerable<DateTimeOffset> starts)
    {
        var ordered = starts.Order().ToList();
        var most = 0;
        for (int from = 0, to = 0; from < ordered.Count; from++)
        {
            while (to < ordered.Count && ordered[to] - ordered[from] < TimeSpan.FromSeconds(1))
                to++;
            most = Math.Max(most, to - from);
        }
        return most;
    }

    /// <summary>Real time, but the instance sees it <see cref="Lag"/> later than the ledger: a call that could not start in time.</summary>
    private sealed class LateClock : TimeProvider
    {
        public TimeSpan Lag { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Lag;
    }
}
