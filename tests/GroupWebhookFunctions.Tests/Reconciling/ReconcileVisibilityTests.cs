using System.Diagnostics.Metrics;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Functions;
using GroupWebhookFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Tests.Reconciling;

public class ReconcileVisibilityTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Group = "@TGS#1VISIBLE";

    [Fact]
    public async Task A_pass_logs_one_line_with_its_counts_and_records_its_metrics_and_never_the_key()
    {
        Tencent.AddMany(Group, null, 6, Now - 900);
        Tencent.Remove(Group, null, 4);
        await ReceiveAsync(Group, [1, 6]);
        var measurements = new List<(string Name, long Value, string Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == App.Get<GroupWebhookMetrics>().Meter)
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var text = string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            lock (measurements)
                measurements.Add((instrument.Name, value, text));
        });
        listener.Start();

        await App.Get<ReconcileHistoryFunction>().RunAsync(null!, CancellationToken.None);

        var line = Assert.Single(App.Logs.Entries, e => e.Message.StartsWith("Reconcile pass:", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("Reconcile pass: 1 groups or topics checked, 1 gaps found, 3 messages backfilled (0 recalled), 1 seqs absent, 0 tail checks, 0 messages rechecked, 0 edits found, 1 calls, 0 errors", line.Message);
        Assert.Contains(measurements, m => m == (GroupWebhookMetrics.ReconcileRows, 3, "gwf.source=backfill,gwf.kind=message"));
        Assert.Contains(measurements, m => m == (GroupWebhookMetrics.ReconcileRows, 1, "gwf.source=backfill,gwf.kind=absent"));
        Assert.Contains(measurements, m => m == (GroupWebhookMetrics.ReconcileGaps, 1, ""));
        Assert.Contains(measurements, m => m == (GroupWebhookMetrics.ReconcileCalls, 1, "gwf.outcome=ok"));
        Assert.DoesNotContain(SecretKey, App.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_says_reconciliation_is_on_and_where_it_calls_without_the_key()
    {
        var (status, body) = await App.OperateAsync((f, r) => f.HealthAsync(r, CancellationToken.None));

        Assert.Equal(200, status);
        var configuration = body.GetProperty("Configuration");
        Assert.True(configuration.GetProperty("Reconciliation").GetBoolean());
        Assert.Equal(Tencent.BaseUrl, configuration.GetProperty("ApiBaseUrl").GetString());
        Assert.Equal("0 */5 * * * *", configuration.GetProperty("ReconcileSchedule").GetString());
        Assert.DoesNotContain(SecretKey, body.GetRawText(), StringComparison.Ordinal);
    }
}
