using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Relaying;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Relaying;

/// <summary>The relay's metrics carry the names and tags the workbook and the relay poison alert query.</summary>
public class RelayMetricsTests(Azurite azurite) : RelayTest(azurite)
{
    protected override IReadOnlyDictionary<string, string?> RelaySettings => new Dictionary<string, string?>(base.RelaySettings) { ["Relay:MaxAttempts"] = "1" };

    [Fact]
    public async Task Before_answers_are_counted_by_source_and_deliveries_by_outcome_with_their_lag()
    {
        var seen = new ConcurrentQueue<(string Name, string? Outcome, string? Source, string? Error)>();
        var meter = App.Get<GroupWebhookMetrics>().Meter;
        using var listener = new MeterListener { InstrumentPublished = (instrument, l) => { if (instrument.Meter == meter) l.EnableMeasurementEvents(instrument); } };
        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var all = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString());
            seen.Enqueue((instrument.Name, all.GetValueOrDefault(GroupWebhookMetrics.OutcomeTag), all.GetValueOrDefault(GroupWebhookMetrics.SourceTag), all.GetValueOrDefault(GroupWebhookMetrics.ErrorTypeTag)));
        }
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        listener.Start();

        await PostSignedAsync(BeforeSend, BeforeSendBody());
        await PostSignedAsync(AfterJoin, AfterJoinBody("one"));
        await DeliverQueuedAsync();
        Handler.FailWith = 502;
        await PostSignedAsync(BeforeSend, BeforeSendBody());
        await PostSignedAsync(AfterJoin, AfterJoinBody("two"));
        Assert.Equal([DeliveryOutcome.Poisoned], await DeliverQueuedAsync());

        Assert.Contains((GroupWebhookMetrics.RelayBeforeAnswers, null, GroupWebhookMetrics.RelaySource.Handler, null), seen);
        Assert.Contains((GroupWebhookMetrics.RelayBeforeAnswers, null, GroupWebhookMetrics.RelaySource.Fallback, "http_502"), seen);
        Assert.Contains((GroupWebhookMetrics.RelayDeliveries, GroupWebhookMetrics.RelayOutcome.Delivered, null, null), seen);
        Assert.Contains((GroupWebhookMetrics.RelayDeliveries, GroupWebhookMetrics.RelayOutcome.Poisoned, null, "http_502"), seen);
        Assert.Single(seen, m => m.Name == GroupWebhookMetrics.RelayDeliveryLag);
        Assert.Equal(2, seen.Count(m => m.Name == GroupWebhookMetrics.RelayBeforeDuration));
    }
}
