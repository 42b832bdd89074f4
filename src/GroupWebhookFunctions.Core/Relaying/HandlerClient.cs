using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace GroupWebhookFunctions.Relaying;

/// <summary>What the handler answered: its body when the answer counts (HTTP 200 with a JSON body), else why not.</summary>
public readonly record struct HandlerAnswer(byte[]? Body, string? Failure)
{
    public bool Succeeded => Body is not null;
}

/// <summary>Posts Tencent's bytes to the app's own handler. One connection pool for the instance; every call has its own deadline.</summary>
public sealed class HandlerClient(HttpClient http)
{
    /// <summary>A rewritten message is at most 12 KB; an answer far larger is not one.</summary>
    public const int MaxAnswerBytes = 1024 * 1024;

    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxAnswerBytes,
        };

    /// <summary>Posts <paramref name="body"/> to <paramref name="target"/>; never throws for the handler's failures, only when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task<HandlerAnswer> PostAsync(Uri target, ReadOnlyMemory<byte> body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
            var answer = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                return new HandlerAnswer(null, "http_" + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return IsJson(answer) ? new HandlerAnswer(answer, null) : new HandlerAnswer(null, "not_json");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HandlerAnswer(null, "timeout");
        }
        catch (HttpRequestException ex)
        {
            return new HandlerAnswer(null, ex.HttpRequestError == HttpRequestError.Unknown ? "connection" : ex.HttpRequestError.ToString());
        }
    }

    private static bool IsJson(ReadOnlySpan<byte> text)
    {
        var reader = new Utf8JsonReader(text);
        try
        {
            if (!reader.Read())
                return false;
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
