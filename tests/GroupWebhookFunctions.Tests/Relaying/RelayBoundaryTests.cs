using System.Text.Json;
using GroupWebhookFunctions.Relaying;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Relaying;

/// <summary>What the relay never does: relay what was not authenticated, change anything while off, or lose a delivery that ran out of tries.</summary>
public class RelayBoundaryTests(Azurite azurite) : RelayTest(azurite)
{
    protected override IReadOnlyDictionary<string, string?> RelaySettings => new Dictionary<string, string?>(base.RelaySettings) { ["Relay:MaxAttempts"] = "2" };

    [Fact]
    public async Task An_unsigned_or_foreign_request_is_never_relayed_and_stays_refused()
    {
        var clock = App.Clock.GetUtcNow();
        var requests = new[]
        {
            (CallbackRequests.Url(command: RelayTest.BeforeSend), 401),
            (CallbackRequests.Url(command: RelayTest.BeforeSend, signedAt: clock, token: "another-token"), 401),
            (CallbackRequests.Url(command: RelayTest.BeforeSend, signedAt: clock.AddMinutes(-5)), 401),
            (CallbackRequests.Url(sdkAppId: "1400999999", command: RelayTest.BeforeSend, signedAt: clock), 403),
            (CallbackRequests.Url(command: RelayTest.AfterJoin), 401),
            (CallbackRequests.Url(sdkAppId: null, command: RelayTest.AfterJoin), 403),
        };

        foreach (var (url, expected) in requests)
            Assert.Equal(expected, (await PostRawAsync(url, url.Query.Contains(RelayTest.BeforeSend, StringComparison.Ordinal) ? BeforeSendBody() : AfterJoinBody())).Status);

        Assert.Empty(Handler.Requests);
        Assert.False(await Azurite.Queue(StorageNames.RelayQueue).ExistsAsync());
    }

    [Fact]
    public async Task With_the_relay_off_nothing_changes()
    {
        using var off = new TestApp(Azurite.ConnectionString);

        AssertAllowed(await PostSignedAsync(BeforeSend, BeforeSendBody(), off));
        AssertAllowed(await PostSignedAsync(AfterJoin, AfterJoinBody(), off));
        AssertAllowed(await PostSignedAsync(AfterSendMsg.Command, CallbackRequests.Message(msgSeq: 3), off));

        Assert.Empty(Handler.Requests);
        Assert.False(await Azurite.Queue(StorageNames.RelayQueue).ExistsAsync());
        Assert.Single(await QueuedEventsAsync());
    }

    [Fact]
    public async Task A_delivery_out_of_tries_moves_to_the_poison_queue_and_a_replay_delivers_it_with_every_try_again()
    {
        AssertAllowed(await PostSignedAsync(AfterJoin, AfterJoinBody("first")));
        AssertAllowed(await PostSignedAsync(AfterJoin, AfterJoinBody("second")));
        Handler.FailWith = 500;

        var outcomes = await DeliverQueuedAsync();

        Assert.Equal(2, outcomes.Count(o => o == DeliveryOutcome.Retried));
        Assert.Equal(2, outcomes.Count(o => o == DeliveryOutcome.Poisoned));
        var poisoned = await Azurite.Queue(StorageNames.RelayPoisonQueue).PeekMessagesAsync(32);
        Assert.Equal(2, poisoned.Value.Length);
        Assert.All(poisoned.Value, m => Assert.DoesNotContain(DeliveryMessage.AttemptName, m.Body.ToString(), StringComparison.Ordinal));

        // Still failing after the replay: the replayed delivery has its tries again, so it is retried before poisoned.
        var (status, moved) = await App.OperateAsync((functions, request) => functions.ReplayAsync(request, CancellationToken.None), "?queue=" + StorageNames.RelayPoisonQueue);
        Assert.Equal(200, status);
        Assert.Equal(2, moved.GetProperty("Moved").GetInt32());
        Assert.Equal(DeliveryOutcome.Retried, (await DeliverQueuedAsync(maxRounds: 1)).Distinct().Single());

        Handler.FailWith = null;
        Assert.Equal([DeliveryOutcome.Delivered, DeliveryOutcome.Delivered], await DeliverQueuedAsync());
        Assert.Equal(2, Handler.Requests.Count(r => r.Status == 200));
    }
}
