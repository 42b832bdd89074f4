namespace GroupWebhookFunctions.Receiving;

/// <summary>Where acknowledged events wait for the synchronizer. Returning means the event is durably kept.</summary>
public interface IEventSink
{
    Task EnqueueAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken);
}
