using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.Operating;

/// <summary>
/// Moves poisoned messages back to the queue they came from (<see cref="StorageNames.PoisonQueues"/>: events, import
/// pages), byte for byte and never to expire. Each is sent before it is deleted, so a crash in between leaves a
/// duplicate, never a loss; both queues' functions are idempotent, so a duplicate is harmless.
/// </summary>
/// <param name="queues">A client by queue name that leaves message bodies as they are (no base64 decoding), so even a message the host could not decode goes back unchanged.</param>
public sealed class PoisonReplayer(Func<string, QueueClient> queues, GroupWebhookMetrics? metrics = null)
{
    public const int DefaultMax = 32;
    public const int MaxMax = 1000;

    /// <summary>The poison queue replayed when none is named.</summary>
    public const string DefaultQueue = StorageNames.PoisonQueue;

    /// <summary>How long a message taken for replay stays hidden from other readers: enough for one send and one delete.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(1);

    /// <summary>Between sending a message and deleting it; a test stands in a crash here.</summary>
    public Func<QueueMessage, Task>? AfterSend { get; init; }

    public static bool IsReplayable(string? poisonQueue) => poisonQueue is not null && StorageNames.PoisonQueues.Contains(poisonQueue, StringComparer.Ordinal);

    public async Task<(int Moved, int Remaining)> ReplayAsync(string poisonQueue, int max, CancellationToken cancellationToken)
    {
        if (!IsReplayable(poisonQueue))
            throw new ArgumentException($"{poisonQueue} is not one of the app's poison queues.", nameof(poisonQueue));
        var (poison, source) = (queues(poisonQueue), queues(StorageNames.SourceOf(poisonQueue)));
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
                    await QueueMessages.SendAsync(source, message.Body, null, cancellationToken).ConfigureAwait(false);
                    if (AfterSend is { } afterSend)
                        await afterSend(message).ConfigureAwait(false);
                    await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                    moved++;
                    metrics?.Replayed(1, poisonQueue);
                }
            }
        }
        var remaining = await poison.ExistsAsync(cancellationToken).ConfigureAwait(false)
            ? (await poison.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount
            : 0;
        return (moved, remaining);
    }
}
