using System.Text.Json;
using GroupWebhookFunctions.Operating;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Operating;

public class OperationsEndpointTests(Azurite azurite) : StorageTest(azurite)
{
    private Task<(int StatusCode, JsonElement Body)> HealthAsync(TestApp? app = null) =>
        (app ?? App).OperateAsync((functions, request) => functions.HealthAsync(request, CancellationToken.None));

    private Task<(int StatusCode, JsonElement Body)> ReplayAsync(string query = "", TestApp? app = null) =>
        (app ?? App).OperateAsync((functions, request) => functions.ReplayAsync(request, CancellationToken.None), query);

    private async Task PoisonAsync(params string[] bodies)
    {
        // Bodies that pass the receiver but then cannot be stored are rare by design; a foreign queue message is not.
        foreach (var body in bodies)
            await App.SynchronizeAsync(body);
    }

    [Fact]
    public async Task Health_reports_queue_depths_ages_configuration_and_version_and_never_a_secret()
    {
        await App.PostAsync(App.SignedUrl(), CallbackRequests.SeedPageSample);
        App.Clock.Advance(TimeSpan.FromSeconds(30));

        var (status, body) = await HealthAsync();

        Assert.Equal(200, status);
        Assert.Equal("Healthy", body.GetProperty("Status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("Version").GetString()));
        var events = body.GetProperty("Queues").GetProperty(StorageNames.EventQueue);
        Assert.Equal(1, events.GetProperty("ApproximateDepth").GetInt32());
        Assert.True(events.GetProperty("OldestMessageAgeSeconds").GetDouble() >= 0);
        Assert.Equal(0, body.GetProperty("Queues").GetProperty(StorageNames.PoisonQueue).GetProperty("ApproximateDepth").GetInt32());
        Assert.Equal(0, body.GetProperty("Queues").GetProperty(StorageNames.ImportQueue).GetProperty("ApproximateDepth").GetInt32());
        var configuration = body.GetProperty("Configuration");
        Assert.False(configuration.GetProperty("Reconciliation").GetBoolean());
        Assert.True(configuration.GetProperty("SignatureRequired").GetBoolean());
        Assert.Equal("Keep", configuration.GetProperty("RecalledContent").GetString());
        Assert.DoesNotContain(CallbackRequests.Token, body.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(body.GetProperty("Problems").EnumerateArray());
    }

    [Fact]
    public async Task Health_answers_when_storage_does_not_and_says_what_it_could_not_read()
    {
        using var disconnected = new TestApp(Azurite.UnreachableConnectionString);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var (status, body) = await HealthAsync(disconnected);

        Assert.Equal(200, status);
        Assert.Equal("Degraded", body.GetProperty("Status").GetString());
        Assert.Equal(StorageNames.TriggerQueues.Count * 2, body.GetProperty("Problems").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("Queues").GetProperty(StorageNames.EventQueue).GetProperty("ApproximateDepth").ValueKind);
        Assert.True(started.Elapsed < HealthReport.ReadTimeout * 3, $"{started.Elapsed}");
    }

    [Fact]
    public async Task A_poisoned_event_is_replayed_byte_for_byte_and_then_stored()
    {
        await App.PostAsync(App.SignedUrl(), CallbackRequests.SeedPageSample);
        var queued = Assert.Single(await QueuedEventsAsync());
        await Azurite.Queue(StorageNames.PoisonQueue).CreateIfNotExistsAsync();
        await Azurite.Queue(StorageNames.PoisonQueue).SendMessageAsync(queued.Body);

        var (status, body) = await ReplayAsync();

        Assert.Equal(200, status);
        Assert.Equal((1, 0), (body.GetProperty("Moved").GetInt32(), body.GetProperty("Remaining").GetInt32()));
        var replayed = Assert.Single(await QueuedEventsAsync());
        Assert.Equal(queued.Body.ToArray(), replayed.Body.ToArray());
        await App.SynchronizeAsync(replayed.Body.ToString());
        Assert.Single(await RowsAsync(StorageNames.MessageTable));
    }

    [Fact]
    public async Task Replaying_an_empty_or_missing_poison_queue_moves_nothing()
    {
        var (status, body) = await ReplayAsync();

        Assert.Equal(200, status);
        Assert.Equal((0, 0), (body.GetProperty("Moved").GetInt32(), body.GetProperty("Remaining").GetInt32()));
    }

    [Fact]
    public async Task Replay_moves_at_most_max()
    {
        await PoisonAsync("not an envelope 1", "not an envelope 2", "not an envelope 3");

        var (_, body) = await ReplayAsync("?max=2");

        Assert.Equal((2, 1), (body.GetProperty("Moved").GetInt32(), body.GetProperty("Remaining").GetInt32()));
        Assert.Equal(2, (await QueuedEventsAsync()).Count);
    }

    [Theory]
    [InlineData("?max=0")]
    [InlineData("?max=1001")]
    [InlineData("?max=-1")]
    [InlineData("?max=ten")]
    public async Task A_max_out_of_range_is_refused_with_a_JSON_error(string query)
    {
        var (status, body) = await ReplayAsync(query);

        Assert.Equal(400, status);
        Assert.Contains("max", body.GetProperty("Error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_replay_moves_the_poison_queue_it_is_asked_for_back_to_its_own_queue()
    {
        await PoisonAsync("not an envelope");
        await Azurite.Queue(StorageNames.ImportPoisonQueue).CreateIfNotExistsAsync();
        await Azurite.Queue(StorageNames.ImportPoisonQueue).SendMessageAsync("""{"Id":"0123456789abcdef0123456789abcdef","Page":3}""");

        var (status, body) = await ReplayAsync("?queue=history-import-pages-poison&max=5");

        Assert.Equal(200, status);
        Assert.Equal((1, 0), (body.GetProperty("Moved").GetInt32(), body.GetProperty("Remaining").GetInt32()));
        var page = Assert.Single(await TakeAllAsync(StorageNames.ImportQueue));
        Assert.Equal("""{"Id":"0123456789abcdef0123456789abcdef","Page":3}""", page.Body.ToString());
        Assert.Empty(await QueuedEventsAsync());
        Assert.Single(await TakeAllAsync(StorageNames.PoisonQueue));
    }

    [Fact]
    public async Task A_poison_message_the_host_could_not_decode_is_replayed_as_it_is()
    {
        var raw = new Azure.Storage.Queues.QueueClient(Azurite.ConnectionString, StorageNames.PoisonQueue);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("not base64 !");

        var (status, body) = await ReplayAsync();

        Assert.Equal((200, 1), (status, body.GetProperty("Moved").GetInt32()));
        var replayed = Assert.Single((await new Azure.Storage.Queues.QueueClient(Azurite.ConnectionString, StorageNames.EventQueue).PeekMessagesAsync()).Value);
        Assert.Equal("not base64 !", replayed.MessageText);
    }

    [Theory]
    [InlineData("?queue=group-message-events")]
    [InlineData("?queue=relay-deliveries")]
    [InlineData("?queue=")]
    public async Task A_queue_that_is_not_a_replayable_poison_queue_is_refused_with_a_JSON_error(string query)
    {
        await PoisonAsync("not an envelope");

        var (status, body) = await ReplayAsync(query);

        Assert.Equal(400, status);
        Assert.Contains("group-message-events-poison, history-import-pages-poison, relay-deliveries-poison", body.GetProperty("Error").GetString(), StringComparison.Ordinal);
        Assert.Single(await TakeAllAsync(StorageNames.PoisonQueue));
    }

    [Fact]
    public async Task A_replay_interrupted_between_send_and_delete_loses_nothing()
    {
        await PoisonAsync("not an envelope");
        var replayer = new PoisonReplayer(name => new Azure.Storage.Queues.QueueClient(Azurite.ConnectionString, name))
        {
            AfterSend = _ => throw new OperationCanceledException("the instance stopped"),
        };

        await Assert.ThrowsAsync<OperationCanceledException>(() => replayer.ReplayAsync(StorageNames.PoisonQueue, 10, CancellationToken.None));

        Assert.Single(await QueuedEventsAsync());
        var poison = await Azurite.Queue(StorageNames.PoisonQueue).GetPropertiesAsync();
        Assert.Equal(1, poison.Value.ApproximateMessagesCount);
    }
}
