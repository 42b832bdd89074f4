using System.Diagnostics.Metrics;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Functions;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Tests.Synchronizing;

/// <summary>
/// An event poisoned during an outage must still be there when someone replays it, however late: the app moves it
/// to the poison queue itself, with no time-to-live, instead of leaving that to the host's 7-day default.
/// </summary>
public class PoisonNeverExpiresTests(Azurite azurite) : StorageTest(azurite)
{
    private static readonly DateTimeOffset Forever = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_event_failing_its_last_try_is_moved_to_poison_for_good_logged_and_counted_once_and_completes()
    {
        Assert.Equal(200, (await App.PostAsync(AfterSendMsg.Command, CallbackRequests.Message(msgSeq: 5))).StatusCode);
        var queued = Assert.Single(await QueuedEventsAsync());
        using var tablesDown = new TestApp(Azurite.ConnectionStringWithout("Table"));
        var meter = tablesDown.Get<GroupWebhookMetrics>().Meter;
        var poisonings = new List<string?>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter && instrument.Name == GroupWebhookMetrics.PoisonMoves)
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == GroupWebhookMetrics.ErrorTypeTag)
                    poisonings.Add(tag.Value?.ToString());
            }
        });
        listener.Start();

        await Assert.ThrowsAsync<SynchronizationDeferredException>(() => tablesDown.SynchronizeAsync(queued.Body.ToString(), 4));
        await tablesDown.SynchronizeAsync(queued.Body.ToString(), 5);

        var poisoned = Assert.Single((await Azurite.Queue(StorageNames.PoisonQueue).PeekMessagesAsync(32)).Value);
        Assert.Equal(queued.Body.ToArray(), poisoned.Body.ToArray());
        Assert.True(poisoned.ExpiresOn >= Forever, $"expires {poisoned.ExpiresOn}");
        Assert.Equal(["retries_exhausted"], poisonings);
        var moved = Assert.Single(tablesDown.Logs.Entries, e => e.Message.Contains(StorageNames.PoisonQueue, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, moved.Level);
        Assert.Contains("@TGS#2J4SZEAEL MsgSeq 5", moved.Message, StringComparison.Ordinal);
        // The failure in full once: the episode's first line has it, so the poison line does not repeat it.
        Assert.Single(tablesDown.Logs.Entries, e => e.Message.Contains("RequestFailedException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_event_whose_last_try_is_the_first_failure_is_logged_in_full_where_it_is_poisoned()
    {
        Assert.Equal(200, (await App.PostAsync(AfterSendMsg.Command, CallbackRequests.Message(msgSeq: 5))).StatusCode);
        var queued = Assert.Single(await QueuedEventsAsync());
        using var tablesDown = new TestApp(Azurite.ConnectionStringWithout("Table"));

        await tablesDown.SynchronizeAsync(queued.Body.ToString(), 5);

        var logged = Assert.Single(tablesDown.Logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Contains(StorageNames.PoisonQueue, logged.Message, StringComparison.Ordinal);
        Assert.Contains("RequestFailedException", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_page_failing_its_last_try_is_moved_to_its_poison_queue_for_good_and_completes()
    {
        const string Page = """{"Id":"0123456789abcdef0123456789abcdef","Page":1}""";
        using var tablesDown = new TestApp(Azurite.ConnectionStringWithout("Table"));
        var function = tablesDown.Get<ImportHistoryPageFunction>();

        await Assert.ThrowsAnyAsync<Exception>(() => function.RunAsync(Page, new TestFunctionContext(4), CancellationToken.None));
        Assert.Empty(await TakeAllAsync(StorageNames.ImportPoisonQueue));
        await function.RunAsync(Page, new TestFunctionContext(5), CancellationToken.None);

        var poisoned = Assert.Single((await Azurite.Queue(StorageNames.ImportPoisonQueue).PeekMessagesAsync(32)).Value);
        Assert.Equal(Page, poisoned.Body.ToString());
        Assert.True(poisoned.ExpiresOn >= Forever, $"expires {poisoned.ExpiresOn}");
        var moved = Assert.Single(tablesDown.Logs.Entries, e => e.Message.Contains(StorageNames.ImportPoisonQueue, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, moved.Level);
        Assert.Contains("RequestFailedException", moved.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_message_the_app_queues_never_expires()
    {
        Assert.Equal(200, (await App.PostAsync(AfterSendMsg.Command, CallbackRequests.Message(msgSeq: 5))).StatusCode);
        var events = Assert.Single((await Azurite.Queue(StorageNames.EventQueue).PeekMessagesAsync(32)).Value);
        Assert.True(events.ExpiresOn >= Forever, $"an event expires {events.ExpiresOn}");

        await App.SynchronizeAsync("not an envelope");
        var poisoned = Assert.Single((await Azurite.Queue(StorageNames.PoisonQueue).PeekMessagesAsync(32)).Value);
        Assert.True(poisoned.ExpiresOn >= Forever, $"a poisoned event expires {poisoned.ExpiresOn}");

        await TakeAllAsync(StorageNames.EventQueue);
        await App.OperateAsync((f, r) => f.ReplayAsync(r, CancellationToken.None));
        var replayed = Assert.Single((await Azurite.Queue(StorageNames.EventQueue).PeekMessagesAsync(32)).Value);
        Assert.True(replayed.ExpiresOn >= Forever, $"a replayed event expires {replayed.ExpiresOn}");
    }

    [Fact]
    public async Task Health_reads_the_age_of_a_poison_message_the_host_could_not_decode()
    {
        // The host moves a message it cannot decode from base64 to the poison queue as it is.
        var raw = new Azure.Storage.Queues.QueueClient(Azurite.ConnectionString, StorageNames.PoisonQueue);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("not base64 !", timeToLive: TimeSpan.FromSeconds(-1));
        App.Clock.SetUtcNow(DateTimeOffset.UtcNow.AddMinutes(10));

        var (_, health) = await App.OperateAsync((f, r) => f.HealthAsync(r, CancellationToken.None));

        Assert.Equal("Healthy", health.GetProperty("Status").GetString());
        var poison = health.GetProperty("Queues").GetProperty(StorageNames.PoisonQueue);
        Assert.Equal(1, poison.GetProperty("ApproximateDepth").GetInt32());
        Assert.InRange(poison.GetProperty("OldestMessageAgeSeconds").GetDouble(), 600, 660);
    }

    [Fact]
    public async Task Health_shows_how_long_the_oldest_message_of_each_poison_queue_has_waited()
    {
        foreach (var (queue, bodies) in new[] { (StorageNames.PoisonQueue, new[] { "first", "second" }), (StorageNames.ImportPoisonQueue, new[] { "page" }) })
        {
            await Azurite.Queue(queue).CreateIfNotExistsAsync();
            foreach (var body in bodies)
            {
                await Azurite.Queue(queue).SendMessageAsync(body, timeToLive: TimeSpan.FromSeconds(-1));
                await Task.Delay(1100);
            }
        }
        App.Clock.SetUtcNow(DateTimeOffset.UtcNow.AddHours(1));

        var (_, health) = await App.OperateAsync((f, r) => f.HealthAsync(r, CancellationToken.None));

        var queues = health.GetProperty("Queues");
        var events = queues.GetProperty(StorageNames.PoisonQueue);
        Assert.Equal(2, events.GetProperty("ApproximateDepth").GetInt32());
        Assert.InRange(events.GetProperty("OldestMessageAgeSeconds").GetDouble(), 3600 + 2, 3600 + 60);
        Assert.InRange(queues.GetProperty(StorageNames.ImportPoisonQueue).GetProperty("OldestMessageAgeSeconds").GetDouble(), 3600, 3600 + 60);
        Assert.Empty(health.GetProperty("Problems").EnumerateArray());
    }
}
