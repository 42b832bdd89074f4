using Azure.Storage.Queues;
using GroupWebhookFunctions.Relaying;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace GroupWebhookFunctions.Tests.Relaying;

/// <summary>
/// A delivery whose requeue fails on storage: the host retries it, and on the host's last try the deliverer moves it to
/// relay-deliveries-poison itself, where it never expires, rather than leaving it to the host's 7-day poison move.
/// </summary>
public class DeliveryStorageFaultTests(Azurite azurite) : RelayTest(azurite)
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(QueueMessages.MaxDequeueCount - 1, false)]
    [InlineData(QueueMessages.MaxDequeueCount, true)]
    public async Task A_storage_fault_throws_for_the_hosts_retry_until_its_last_try_which_poisons_the_delivery_for_good(int dequeueCount, bool poisoned)
    {
        AssertAcknowledged(await PostSignedAsync(AfterJoin, AfterJoinBody()));
        var queued = Assert.Single(await TakeAllAsync(StorageNames.RelayQueue));
        Handler.FailWith = 503;
        var deliverer = DelivererWhoseRetryQueueIsUnreachable();

        if (!poisoned)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => deliverer.DeliverAsync(queued.Body, CancellationToken.None, dequeueCount));
            Assert.Empty(await TakeAllAsync(StorageNames.RelayPoisonQueue));
            return;
        }
        Assert.Equal(DeliveryOutcome.Poisoned, await deliverer.DeliverAsync(queued.Body, CancellationToken.None, dequeueCount));
        var moved = Assert.Single(await TakeAllAsync(StorageNames.RelayPoisonQueue));
        Assert.Equal(queued.Body.ToString(), moved.Body.ToString());
        Assert.True(moved.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100), $"expires {moved.ExpiresOn}");
    }

    [Fact]
    public async Task A_delivery_poisoned_by_a_storage_fault_on_its_last_try_loses_its_count_so_a_replay_gets_every_try_again()
    {
        AssertAcknowledged(await PostSignedAsync(AfterJoin, AfterJoinBody()));
        var queued = Assert.Single(await TakeAllAsync(StorageNames.RelayQueue));
        var retried = new BinaryData(DeliveryMessage.Read(queued.Body.ToMemory())!.WithAttempt(App.Get<RelayOptions>().MaxAttempts - 2));
        Handler.FailWith = 503;

        Assert.Equal(DeliveryOutcome.Poisoned, await DelivererWhoseRetryQueueIsUnreachable().DeliverAsync(retried, CancellationToken.None, QueueMessages.MaxDequeueCount));

        var moved = Assert.Single(await TakeAllAsync(StorageNames.RelayPoisonQueue));
        Assert.Equal(queued.Body.ToString(), moved.Body.ToString());
    }

    /// <summary>The app's deliverer, but its retry queue is on a port nothing listens on, tried once.</summary>
    private RelayDeliverer DelivererWhoseRetryQueueIsUnreachable()
    {
        var unreachable = new QueueClient(new Uri("http://127.0.0.1:9/devstoreaccount1/relay-deliveries"),
            new QueueClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(2) } });
        return new RelayDeliverer(App.Get<RelayOptions>(), App.Get<TencentChatOptions>(), App.Get<HandlerClient>(), unreachable,
            Azurite.Queue(StorageNames.RelayPoisonQueue), App.Get<BlobPayloadStore>(), TimeProvider.System, NullLogger<RelayDeliverer>.Instance);
    }
}
