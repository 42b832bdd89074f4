using GroupWebhookFunctions.Importing;
using GroupWebhookFunctions.Storage;
using Microsoft.Azure.Functions.Worker;

namespace GroupWebhookFunctions.Functions;

/// <summary>Fetches and stores one page of a history import, then queues the next.</summary>
public sealed class ImportHistoryPageFunction(ImportPageRunner runner)
{
    [Function("ImportHistoryPage")]
    public Task RunAsync(
        [QueueTrigger(StorageNames.ImportQueue, Connection = StorageNames.Connection)] string message,
        FunctionContext context,
        CancellationToken cancellationToken) =>
        runner.RunPageAsync(message, QueueBinding.DequeueCount(context), cancellationToken);
}
