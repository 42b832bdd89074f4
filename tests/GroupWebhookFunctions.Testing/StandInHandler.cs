using System.Collections.Concurrent;
using System.Net;

namespace GroupWebhookFunctions.Testing;

/// <summary>
/// The app's own webhook handler, stood in on a loopback port: records every request it gets (query string and body
/// bytes) and answers as told: OK, a given JSON answer, a stall, or a failure.
/// </summary>
public sealed class StandInHandler : IAsyncDisposable
{
    public static readonly byte[] OkAnswer = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}"u8.ToArray();

    private readonly LoopbackHttpServer _server;
    private readonly ConcurrentQueue<Received> _received = new();

    public StandInHandler(string path = "/handler")
    {
        _server = new LoopbackHttpServer(HandleAsync);
        Url = _server.BaseUrl + path;
    }

    public string Url { get; }

    /// <summary>The body of a 200 answer.</summary>
    public byte[] Answer { get; set; } = OkAnswer;

    /// <summary>How long to wait before answering.</summary>
    public TimeSpan Stall { get; set; }

    /// <summary>When set, the status answered instead of 200 (with a non-JSON body).</summary>
    public int? FailWith { get; set; }

    public IReadOnlyList<Received> Requests => [.. _received];

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
        var (stall, fail, answer) = (Stall, FailWith, Answer);
        if (stall > TimeSpan.Zero)
            await Task.Delay(stall).ConfigureAwait(false);
        try
        {
            // Recorded once answered: a request the handler failed counts as received too, as Tencent's would.
            _received.Enqueue(new Received(QueryOf(context.Request.RawUrl), body.ToArray(), fail ?? 200, DateTimeOffset.UtcNow));
            context.Response.StatusCode = fail ?? 200;
            var bytes = fail is null ? answer : "handler failure"u8.ToArray();
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private static string QueryOf(string? rawUrl) => rawUrl?.IndexOf('?', StringComparison.Ordinal) is { } at and >= 0 ? rawUrl[at..] : "";

    /// <param name="Query">The query string with its '?'.</param>
    public sealed record Received(string Query, byte[] Body, int Status, DateTimeOffset At);
}
