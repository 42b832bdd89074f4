using Azure;

namespace GroupWebhookFunctions.Storage;

/// <summary>
/// Queues, tables and containers are created on first use rather than at startup, so starting the app makes no
/// network call; infra/ creates them in Azure, and this makes a fresh Azurite work the same way.
/// </summary>
public static class MissingResource
{
    private static readonly HashSet<string> NotFoundCodes = ["QueueNotFound", "ContainerNotFound", "TableNotFound", "ResourceNotFound"];

    public static async Task<T> CreateOnceIfMissingAsync<T>(Func<Task<T>> operation, Func<Task> create)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (IsMissingContainer(ex))
        {
            await create().ConfigureAwait(false);
            return await operation().ConfigureAwait(false);
        }
    }

    private static bool IsMissingContainer(RequestFailedException ex) =>
        ex.Status == 404 && (ex.ErrorCode is null || NotFoundCodes.Contains(ex.ErrorCode));
}
