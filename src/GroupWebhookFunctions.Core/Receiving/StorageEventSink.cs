using Azure.Storage.Queues;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.Receiving;

/// <summary>Puts envelopes on a queue, never to expire; one too big for a queue message goes to a blob that the queue message names.</summary>
/// <param name="maxQueuedBytes">The largest envelope sent inline; less than the queue's limit when the message may grow later.</param>
public sealed class StorageEventSink(QueueClient queue, BlobPayloadStore payloads, TimeProvider clock, int maxQueuedBytes = EventEnvelope.MaxQueuedBytes) : IEventSink
{
    public async Task EnqueueAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken)
    {
        var message = new BinaryData(envelope);
        if (envelope.Length > maxQueuedBytes)
        {
            var blobName = $"envelopes/{clock.GetUtcNow():yyyy/MM/dd/HH}/{Guid.NewGuid():N}.json";
            await payloads.WriteAsync(blobName, message, cancellationToken).ConfigureAwait(false);
            message = new BinaryData(EnvelopeWriter.WritePayloadReference(blobName));
        }

        await QueueMessages.SendAsync(queue, message, null, cancellationToken).ConfigureAwait(false);
    }
}
