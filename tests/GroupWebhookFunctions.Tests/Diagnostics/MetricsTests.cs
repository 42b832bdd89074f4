using System.Diagnostics.Metrics;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Diagnostics;

/// <summary>The metrics the dashboard and alerts read, recorded with the names and tags they query.</summary>
public class MetricsTests(Azurite azurite) : StorageTest(azurite)
{
    private sealed record Measurement(string Name, double Value, Dictionary<string, string?> Tags);

    private static List<Measurement> Listen(TestApp app, out MeterListener listener)
    {
        var meter = app.Get<GroupWebhookMetrics>().Meter;
        var measurements = new List<Measurement>();
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter)
                    l.EnableMeasurementEvents(instrument);
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, string?>();
            foreach (var tag in tags)
                copy[tag.Key] = tag.Value?.ToString();
            lock (measurements)
                measurements.Add(new Measurement(instrument.Name, value, copy));
        }
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        return measurements;
    }

    private static Measurement Single(List<Measurement> measurements, string name, string outcome) =>
        Assert.Single(measurements, m => m.Name == name && m.Tags.GetValueOrDefault(GroupWebhookMetrics.OutcomeTag) == outcome);

    [Fact]
    public async Task Every_answer_is_counted_and_timed_by_command_and_outcome()
    {
        var measurements = Listen(App, out var listener);
        using (listener)
        {
            await App.PostAsync(App.SignedUrl(), CallbackRequests.SeedPageSample);
            await App.PostAsync(CallbackRequests.Url(signedAt: App.Clock.GetUtcNow(), token: "wrong"), CallbackRequests.SeedPageSample);
            await App.PostAsync(App.SignedUrl("Group.CallbackBeforeSendMsg"), "{}");
        }

        var ok = Single(measurements, GroupWebhookMetrics.WebhooksReceived, WebhookOutcome.Acknowledged);
        Assert.Equal((1d, AfterSendMsg.Command), (ok.Value, ok.Tags[GroupWebhookMetrics.CommandTag]));
        Assert.False(ok.Tags.ContainsKey(GroupWebhookMetrics.ErrorTypeTag));
        var refused = Single(measurements, GroupWebhookMetrics.WebhooksReceived, WebhookOutcome.Refused);
        Assert.Equal("40104", refused.Tags[GroupWebhookMetrics.ErrorTypeTag]);
        var unhandled = Single(measurements, GroupWebhookMetrics.WebhooksReceived, WebhookOutcome.NotHandled);
        Assert.Equal(GroupWebhookMetrics.OtherCommand, unhandled.Tags[GroupWebhookMetrics.CommandTag]);
        Assert.Equal(3, measurements.Count(m => m.Name == GroupWebhookMetrics.AcknowledgementDuration && m.Value >= 0));
    }

    [Fact]
    public async Task A_sender_cannot_grow_the_command_tag_beyond_the_handled_commands()
    {
        var measurements = Listen(App, out var listener);
        using (listener)
        {
            foreach (var command in new[] { new string('C', 7000), "Group.CallbackAfterRecallMsg\r\n", "x" })
                await App.PostAsync(CallbackRequests.Url(command: Uri.EscapeDataString(command), signedAt: App.Clock.GetUtcNow()), "{}");
        }

        var allowed = HandledCallbacks.Commands.Append(GroupWebhookMetrics.OtherCommand).ToHashSet<string?>();
        Assert.All(measurements, m => Assert.Contains(m.Tags[GroupWebhookMetrics.CommandTag], allowed));
    }

    [Fact]
    public async Task Sync_lag_is_recorded_from_the_receive_time_in_its_bucket_and_poison_moves_are_counted()
    {
        await App.PostAsync(App.SignedUrl(), CallbackRequests.SeedPageSample);
        var queued = Assert.Single(await QueuedEventsAsync());
        App.Clock.Advance(TimeSpan.FromSeconds(42));

        var measurements = Listen(App, out var listener);
        using (listener)
        {
            await App.SynchronizeAsync(queued.Body.ToString());
            await App.SynchronizeAsync("not an envelope");
        }

        var lag = Assert.Single(measurements, m => m.Name == GroupWebhookMetrics.SyncLag);
        Assert.Equal(42, lag.Value, precision: 3);
        Assert.Equal(("60", AfterSendMsg.Command), (lag.Tags[GroupWebhookMetrics.LagBucketTag], lag.Tags[GroupWebhookMetrics.CommandTag]));
        var poisoned = Assert.Single(measurements, m => m.Name == GroupWebhookMetrics.PoisonMoves);
        Assert.Equal("unprocessable", poisoned.Tags[GroupWebhookMetrics.ErrorTypeTag]);
    }

    [Fact]
    public async Task A_storage_outage_counts_503s_and_failed_storage_calls()
    {
        using var disconnected = new TestApp(Azurite.UnreachableConnectionString);
        var measurements = Listen(disconnected, out var listener);
        using (listener)
            await disconnected.PostAsync(disconnected.SignedUrl(), CallbackRequests.SeedPageSample);

        var unavailable = Single(measurements, GroupWebhookMetrics.WebhooksReceived, WebhookOutcome.Unavailable);
        Assert.Equal("50301", unavailable.Tags[GroupWebhookMetrics.ErrorTypeTag]);
        Assert.Single(measurements, m => m.Name == GroupWebhookMetrics.StorageFailures && m.Tags[GroupWebhookMetrics.OperationTag] == "enqueue");
    }
}
