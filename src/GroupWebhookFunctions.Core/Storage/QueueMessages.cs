using Azure.Storage.Queues;

namespace GroupWebhookFunctions.Storage;

/// <summary>
/// How the app puts a message on any of its queues: the queue is created on first use, and the message never expires
/// (time-to-live -1, instead of Queue storage's 7 days), so a backlog or a poisoned event waits however long an outage
/// or an operator takes.
/// </summary>
public static class QueueMessages
{
    /// <summary>Queue storage's time-to-live for a message that never expires.</summary>
    public static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    /// <summary>
    /// host.json's extensions.queues.maxDequeueCount. On this try a message that fails would be moved to its poison
    /// queue by the host, with the 7-day default time-to-live; the app's functions move it themselves instead.
    /// </summary>
    public const int MaxDequeueCount = 5;

    /// <summary>Whether a failure now is the message's last: the function moves it to its poison queue and returns.</summary>
    public static bool IsLastTry(long dequeueCount) => dequeueCount >= MaxDequeueCount;

    public static async Task SendAsync(QueueClient queue, BinaryData message, TimeSpan? delay, CancellationToken cancellationToken) =>
        await MissingResource.CreateOnceIfMissingAsync(
            () => queue.SendMessageAsync(message, delay, NeverExpires, cancellationToken),
            () => queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
}
