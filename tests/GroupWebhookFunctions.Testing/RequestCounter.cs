using Azure.Core;
using Azure.Core.Pipeline;

namespace GroupWebhookFunctions.Testing;

/// <summary>Counts the HTTP requests an Azure SDK client sends, retries included: storage round trips.</summary>
public sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);

    public T AddTo<T>(T options) where T : ClientOptions
    {
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
        return options;
    }
}
