using Azure.Storage.Queues;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Relaying;

public enum DeliveryOutcome
{
    Delivered,

    /// <summary>The handler did not take it; it waits in relay-deliveries for its next try.</summary>
    Retried,

    /// <summary>Out of tries, or unusable: moved to relay-deliveries-poison.</summary>
    Poisoned,
}

/// <summary>
/// Delivers one queued after-event to the handler: Tencent's query string (RequestTime and Sign made afresh when a
/// callback token is set) and body, byte for byte. A failed try is queued again, hidden for a growing wait, with its
/// count of tries; the last goes to the poison queue without its count, so a replay gets every try again. Only a
/// storage fault throws, and the host then retries the message as it is; on the host's last try the deliverer moves it
/// to the poison queue itself, which never expires (the host's own move would keep it 7 days): a delivery is never
/// dropped, and may reach the handler more than once.
/// </summary>
public sealed class RelayDeliverer(
    RelayOptions options, TencentChatOptions chat, HandlerClient handler, QueueClient deliveries, QueueClient poison, BlobPayloadStore payloads,
    TimeProvider clock, ILogger<RelayDeliverer> logger, GroupWebhookMetrics? metrics = null)
{
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.DeliveryTimeoutSeconds);
    private readonly LogThrottle _warnings = new(clock, BeforeEventForwarder.ReportInterval);

    public async Task<DeliveryOutcome> DeliverAsync(BinaryData queueMessage, CancellationToken cancellationToken, long dequeueCount = 1)
    {
        try
        {
            return await TryDeliverAsync(queueMessage, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (QueueMessages.IsLastTry(dequeueCount) && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            // Without its count, as every other poison move: a replay gets every try again.
            var moved = DeliveryMessage.Read(queueMessage.ToMemory()) is { } message ? new BinaryData(message.WithAttempt(0)) : queueMessage;
            await QueueMessages.SendAsync(poison, moved, null, cancellationToken).ConfigureAwait(false);
            metrics?.RelayTried(null, GroupWebhookMetrics.RelayOutcome.Poisoned, "storage");
            RelayLog.DeliveryUnusable(logger, $"storage failed on the last try ({ex.GetType().Name})", poison.Name);
            return DeliveryOutcome.Poisoned;
        }
    }

    private async Task<DeliveryOutcome> TryDeliverAsync(BinaryData queueMessage, CancellationToken cancellationToken)
    {
        if (DeliveryMessage.Read(queueMessage.ToMemory()) is not { } message)
            return await PoisonUnusableAsync(queueMessage.ToArray(), "not a delivery", cancellationToken).ConfigureAwait(false);
        var content = message;
        if (message.PayloadBlob is { } blobName)
        {
            var payload = await payloads.ReadAsync(blobName, cancellationToken).ConfigureAwait(false);
            if (payload is null || DeliveryMessage.Read(payload.ToMemory()) is not { Query: not null } stored)
                return await PoisonUnusableAsync(message.WithAttempt(0), $"the payload blob '{blobName}' is missing or not a delivery", cancellationToken).ConfigureAwait(false);
            content = stored;
        }
        if (!options.IsOn)
            return await PoisonUnusableAsync(message.WithAttempt(0), "Relay__Url is empty: relaying is off", cancellationToken).ConfigureAwait(false);

        var query = RelayQuery.Resign(content.Query!, RelayQuery.SigningToken(content.Query!, chat.CallbackToken, chat.PreviousCallbackToken), clock.GetUtcNow());
        var answer = await handler.PostAsync(RelayQuery.Target(new Uri(options.Url!), query), content.Body, _timeout, cancellationToken).ConfigureAwait(false);
        if (answer.Succeeded)
        {
            metrics?.RelayTried(content.Command, GroupWebhookMetrics.RelayOutcome.Delivered, null);
            if (content.ReceivedAt is { } receivedAt)
                metrics?.RelayDelivered(content.Command, clock.GetUtcNow() - receivedAt);
            return DeliveryOutcome.Delivered;
        }

        var tries = message.Attempt + 1;
        var command = new UntrustedText(content.Command);
        if (tries >= options.MaxAttempts)
        {
            await QueueMessages.SendAsync(poison, new BinaryData(message.WithAttempt(0)), null, cancellationToken).ConfigureAwait(false);
            metrics?.RelayTried(content.Command, GroupWebhookMetrics.RelayOutcome.Poisoned, answer.Failure);
            RelayLog.DeliveryPoisoned(logger, command, tries, answer.Failure!, poison.Name);
            return DeliveryOutcome.Poisoned;
        }
        var delay = options.RetryDelay(tries + 1);
        await QueueMessages.SendAsync(deliveries, new BinaryData(message.WithAttempt(tries)), delay, cancellationToken).ConfigureAwait(false);
        metrics?.RelayTried(content.Command, GroupWebhookMetrics.RelayOutcome.Retried, answer.Failure);
        if (_warnings.TryPass(0, out var suppressed))
            RelayLog.DeliveryRetried(logger, command, answer.Failure!, tries, delay, suppressed);
        return DeliveryOutcome.Retried;
    }

    private async Task<DeliveryOutcome> PoisonUnusableAsync(byte[] message, string reason, CancellationToken cancellationToken)
    {
        await QueueMessages.SendAsync(poison, new BinaryData(message), null, cancellationToken).ConfigureAwait(false);
        metrics?.RelayTried(null, GroupWebhookMetrics.RelayOutcome.Poisoned, "unusable");
        RelayLog.DeliveryUnusable(logger, reason, poison.Name);
        return DeliveryOutcome.Poisoned;
    }
}
