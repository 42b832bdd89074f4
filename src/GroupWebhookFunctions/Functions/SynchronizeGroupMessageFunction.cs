using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using Microsoft.Azure.Functions.Worker;

namespace GroupWebhookFunctions.Functions;

/// <summary>Stores each acknowledged event in the tables; a throw makes the host retry, up to host.json's maxDequeueCount.</summary>
public sealed class SynchronizeGroupMessageFunction(GroupMessageSynchronizer synchronizer)
{
    [Function("SynchronizeGroupMessage")]
    public Task RunAsync(
        [QueueTrigger(StorageNames.EventQueue, Connection = StorageNames.Connection)] string message,
        FunctionContext context,
        CancellationToken cancellationToken) =>
        synchronizer.SynchronizeAsync(BinaryData.FromString(message), cancellationToken, QueueBinding.DequeueCount(context));
}
