using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.Operating;

/// <summary>
/// Moves poisoned events back to the event queue, byte for byte. Each is sent before it is deleted, so a crash in
/// between leaves a duplicate, never a loss; synchronizing is idempotent, so a duplicate is harmless.
/// </summary>
public sealed class PoisonReplayer(QueueClient poison, QueueClient events, GroupWebhookMetrics? metrics = null)
{
    public const int DefaultMax = 32;
    public const int MaxMax = 1000;

    /// <summary>How long a message taken for replay stays hidden from other readers: enough for one send and one delete.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(1);

    /// <summary>Between sending a message and deleting it; a test stands in a crash here.</summary>
    public Func<QueueMessage, Task>? AfterSend { get; init; }

    public async Task<(int Moved, int Remaining)> ReplayAsync(int max, CancellationToken cancellationToken)
    {
        var moved = 0;
        if (await poison.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            while (moved < max)
            {
                QueueMessage[] batch = await poison.ReceiveMessagesAsync(Math.Min(32, max - moved), Hold, cancellationToken).ConfigureAwait(false);
                if (batch.Length == 0)
                    break;
                foreach (var message in batch)
                {
                    await QueueMessages.SendAsync(events, message.Body, null, cancellationToken).ConfigureAwait(false);
                    if (AfterSend is { } afterSend)
                        await afterSend(message).ConfigureAwait(false);
                    await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                    moved++;
                    metrics?.Replayed(1);
                }
            }
        }
        var remaining = await poison.ExistsAsync(cancellationToken).ConfigureAwait(false)
            ? (await poison.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount
            : 0;
        return (moved, remaining);
    }
}
