using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using GroupWebhookFunctions.HostTests.Hosting;
using GroupWebhookFunctions.Testing;
using Xunit.Abstractions;

namespace GroupWebhookFunctions.HostTests;

/// <summary>
/// Reconcile__MaxCallsPerSecond holds for the app, not per instance: two hosts on one storage account share the
/// budget through TencentCallBudget, and imports fetch in chains at nearly the full budget.
/// </summary>
[Collection(HostCollection.Name)]
public class CallBudgetHostTests(HostedApp app, ITestOutputHelper output)
{
    /// <summary>
    /// How much later than the app let it start a call may reach the double: the worker's own steps after the budget
    /// (signing, the HTTP stack) on a machine this loaded (measured up to about 130 ms). Calls are counted in windows
    /// this much shorter than a second, which two instances each keeping only to their own limit still overrun twice over.
    /// </summary>
    private static readonly TimeSpan DeliveryJitter = TimeSpan.FromMilliseconds(150);

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1) - DeliveryJitter;

    [SkippableFact]
    public async Task Eight_imports_across_two_hosts_all_succeed_and_never_exceed_the_budget_in_any_window()
    {
        app.Require();
        var budget = Budget;
        await using var second = await StartSecondHostAsync("budget-second");
        var groups = Enumerable.Range(0, 8).Select(i => Webhooks.NewGroupId("budget" + i)).ToList();
        const int perGroup = 400;
        foreach (var group in groups)
            app.Tencent.AddMany(group, null, perGroup, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 7200);

        using var stalls = new StallWatch();
        var began = Stopwatch.GetTimestamp();
        var imports = new List<(HostProcess Host, string Id)>();
        for (var i = 0; i < groups.Count; i++)
        {
            var host = i % 2 == 0 ? app.Host : second;
            imports.Add((host, await StartImportAsync(host, groups[i])));
        }
        await HostedApp.WaitForAsync(async () =>
        {
            foreach (var (host, id) in imports)
            {
                if (await StateAsync(host, id) == "Running")
                    return false;
            }
            return true;
        }, TimeSpan.FromSeconds(90), "eight imports to end");
        var ended = Stopwatch.GetTimestamp();

        foreach (var (host, id) in imports)
            Assert.Equal("Succeeded", await StateAsync(host, id));
        var calls = app.Tencent.Calls.Where(call => call.Timestamp >= began).Select(call => call.Timestamp).Order().ToList();
        var importCalls = app.Tencent.HistoryCalls.Count(call => call.Timestamp >= began && groups.Contains(call.GroupId!));
        var most = MostInWindow(calls, Window, stalls);
        var strict = MostInWindow(calls, TimeSpan.FromSeconds(1), stalls);
        var seconds = Stopwatch.GetElapsedTime(began, ended).TotalSeconds;
        var ratio = groups.Count * perGroup / seconds / (budget * 20.0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{calls.Count} calls ({importCalls} for the imports) in {seconds:F1} s; at most {strict} in one second ({most} in {Window.TotalMilliseconds} ms), {budget} allowed; "
            + $"{groups.Count * perGroup / seconds:F0} messages/s = {ratio:F2} of the ceiling ({budget} calls/s x 20); "
            + $"all calls {calls.Count / seconds:F1}/s = {calls.Count / seconds / budget:F2} of the budget; "
            + $"closest {budget + 1} calls {ClosestSpan(calls, budget + 1).TotalMilliseconds:F0} ms apart; "
            + $"{stalls.Count} stalls of the double, {calls.Count(stalls.Affected)} calls stamped in one"));
        AssertMostCallsCounted(calls, stalls);
        Assert.True(most <= budget, $"{most} calls reached the double within {Window.TotalMilliseconds} ms; {budget} allowed a second.");
        Assert.True(importCalls >= groups.Count * perGroup / 20, $"{importCalls} import calls");
    }

    [SkippableFact]
    public async Task A_10000_message_import_on_two_hosts_succeeds_inside_the_budget_and_reports_its_rate()
    {
        app.Require();
        var budget = Budget;
        await using var second = await StartSecondHostAsync("import-second");
        var group = Webhooks.NewGroupId("bigimport");
        const int messages = 10_000;
        app.Tencent.AddMany(group, null, messages, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 7200);

        using var stalls = new StallWatch();
        var began = Stopwatch.GetTimestamp();
        var id = await StartImportAsync(second, group);
        await HostedApp.WaitForAsync(async () => await StateAsync(app.Host, id) != "Running", TimeSpan.FromSeconds(120), "the import to end");
        var seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;

        Assert.Equal("Succeeded", await StateAsync(app.Host, id));
        var calls = app.Tencent.Calls.Where(call => call.Timestamp >= began).Select(call => call.Timestamp).Order().ToList();
        var ratio = messages / seconds / (budget * 20.0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{messages} messages in {seconds:F1} s = {messages / seconds:F0} messages/s = {ratio:F2} of the ceiling ({budget} calls/s x 20); "
            + $"{calls.Count} calls, at most {MostInWindow(calls, TimeSpan.FromSeconds(1), stalls)} in one second; {stalls.Count} stalls of the double"));
        // The ratio is a measurement (docs/performance.md: 0.93 on a quiet machine, the goal 0.9), not a gate: on a
        // machine shared with other work it falls with the load, which this test does not control.
        AssertMostCallsCounted(calls, stalls);
        Assert.True(MostInWindow(calls, Window, stalls) <= budget, $"{MostInWindow(calls, Window, stalls)} calls within {Window.TotalMilliseconds} ms");
    }

    /// <summary>The windows left out around the double's stalls must not leave the budget's check with little to say.</summary>
    private static void AssertMostCallsCounted(List<long> calls, StallWatch stalls) =>
        Assert.True(calls.Count(call => !stalls.Affected(call)) >= calls.Count / 2,
            $"{calls.Count(stalls.Affected)} of {calls.Count} calls were stamped during a stall of the double: too few left to check the budget on");

    private int Budget => int.Parse(app.Settings["Reconcile__MaxCallsPerSecond"], CultureInfo.InvariantCulture);

    /// <summary>A second instance of the app on the same storage, with the same settings (telemetry aside).</summary>
    private Task<HostProcess> StartSecondHostAsync(string name)
    {
        var settings = new Dictionary<string, string>(app.Settings);
        settings.Remove("APPLICATIONINSIGHTS_CONNECTION_STRING");
        return app.StartHostAsync(settings, name);
    }

    private static async Task<string> StartImportAsync(HostProcess host, string group)
    {
        using var content = new StringContent($$"""{"GroupId":"{{group}}"}""", Encoding.UTF8, "application/json");
        using var reply = await host.Http.SendAsync(HostProcess.WithKey(HttpMethod.Post, "api/ops/history-imports", host.FunctionKey, content));
        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        return JsonDocument.Parse(await reply.Content.ReadAsStringAsync()).RootElement.GetProperty("Id").GetString()!;
    }

    private static async Task<string?> StateAsync(HostProcess host, string id)
    {
        using var reply = await host.Http.SendAsync(HostProcess.WithKey(HttpMethod.Get, $"api/ops/history-imports/{id}", host.FunctionKey));
        return JsonDocument.Parse(await reply.Content.ReadAsStringAsync()).RootElement.GetProperty("State").GetString();
    }

    /// <summary>The shortest time from a call to the one <paramref name="count"/> - 1 after it.</summary>
    private static TimeSpan ClosestSpan(List<long> ordered, int count) =>
        ordered.Count < count ? TimeSpan.MaxValue : Enumerable.Range(0, ordered.Count - count + 1).Select(i => Stopwatch.GetElapsedTime(ordered[i], ordered[i + count - 1])).Min();

    /// <summary>
    /// The most call starts (Stopwatch timestamps) in any window [t, t + <paramref name="window"/>), over the windows
    /// holding no call the double may have stamped late (see <see cref="StallWatch"/>).
    /// </summary>
    private static int MostInWindow(List<long> ordered, TimeSpan window, StallWatch stalls)
    {
        var ticks = (long)(window.TotalSeconds * Stopwatch.Frequency);
        var most = 0;
        for (int from = 0, to = 0; from < ordered.Count; from++)
        {
            while (to < ordered.Count && ordered[to] - ordered[from] < ticks)
                to++;
            if (!ordered.Skip(from).Take(to - from).Any(stalls.Affected))
                most = Math.Max(most, to - from);
        }
        return most;
    }
}
