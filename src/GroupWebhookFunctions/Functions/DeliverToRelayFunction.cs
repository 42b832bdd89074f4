using GroupWebhookFunctions.Relaying;
using GroupWebhookFunctions.Storage;
using Microsoft.Azure.Functions.Worker;

namespace GroupWebhookFunctions.Functions;

/// <summary>Delivers each queued after-event to the app's own handler; a failed try is queued again by the deliverer, with backoff.</summary>
public sealed class DeliverToRelayFunction(RelayDeliverer deliverer)
{
    public const string FunctionName = "DeliverToRelay";

    [Function(FunctionName)]
    public Task RunAsync(
        [QueueTrigger(StorageNames.RelayQueue, Connection = StorageNames.Connection)] string message,
        FunctionContext context,
        CancellationToken cancellationToken) =>
        deliverer.DeliverAsync(BinaryData.FromString(message), cancellationToken, QueueBinding.DequeueCount(context));
}
