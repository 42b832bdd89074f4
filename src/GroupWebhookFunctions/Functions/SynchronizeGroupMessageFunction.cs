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
        synchronizer.SynchronizeAsync(BinaryData.FromString(message), cancellationToken, DequeueCount(context));

    /// <summary>The queue trigger's binding data says how often the message was handed out; 1 where it does not.</summary>
    private static int DequeueCount(FunctionContext? context) =>
        context?.BindingContext?.BindingData is { } data && data.TryGetValue("DequeueCount", out var value)
            && int.TryParse(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), out var count) ? count : 1;
}
