namespace GroupWebhookFunctions.Functions;

/// <summary>How an HTTP function tells that storage did not answer, so it can answer 503 rather than 500.</summary>
internal static class StorageFailure
{
    /// <summary>The storage SDK gives up with a RequestFailedException, or an AggregateException of them after its retries.</summary>
    public static bool Is(Exception ex) =>
        ex is Azure.RequestFailedException or AggregateException { InnerException: Azure.RequestFailedException };
}
