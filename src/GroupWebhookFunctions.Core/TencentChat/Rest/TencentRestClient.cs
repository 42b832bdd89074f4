using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using GroupWebhookFunctions.Reconciling;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace GroupWebhookFunctions.TencentChat.Rest;

/// <summary>
/// Calls Tencent's REST API as the app's admin: signed URL, a fresh random per call, JSON both ways. Each attempt
/// waits its turn at the shared pacer and has its own timeout; network errors, HTTP 5xx and Tencent's retryable codes
/// are retried with jittered backoff (Polly). Tencent answers HTTP 200 even when it refuses: the body's ErrorCode is
/// the outcome, and any failure reaches the caller as a <see cref="TencentApiException"/> saying what it means.
/// </summary>
public sealed class TencentRestClient
{
    private readonly HttpClient _http;
    private readonly TencentChatOptions _chat;
    private readonly ICallPacer _pacer;
    private readonly UserSigSource _sigs;
    private readonly ResiliencePipeline _retry;
    private readonly ResiliencePipeline _timeout;
    private readonly Diagnostics.GroupWebhookMetrics _metrics;

    public TencentRestClient(HttpClient http, TencentChatOptions chat, ReconcileOptions options, ICallPacer pacer, UserSigSource sigs, TimeProvider timing,
        Diagnostics.GroupWebhookMetrics metrics)
    {
        _http = http;
        _chat = chat;
        _pacer = pacer;
        _sigs = sigs;
        _metrics = metrics;
        _timeout = new ResiliencePipelineBuilder { TimeProvider = timing }
            .AddTimeout(TimeSpan.FromSeconds(options.CallTimeoutSeconds))
            .Build();
        _retry = options.MaxRetries == 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder { TimeProvider = timing }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<TencentApiException>(ex => ex.Failure == RestFailure.Transient),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(options.RetryDelayMilliseconds),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is TencentApiException { ErrorCode: RestErrorCodes.LockedOut }
                        ? (TimeSpan?)TimeSpan.FromSeconds(options.LockoutSeconds)
                        : null),
            })
            .Build();
    }

    /// <summary>
    /// Calls <c>v4/{command}</c> with the body written by <paramref name="writeBody"/> and returns the answer when Tencent says OK.
    /// <paramref name="apiPacer"/> is the pacer of an API Tencent limits below the shared budget: each attempt waits there too.
    /// </summary>
    public async Task<JsonDocument> CallAsync(string command, Action<Utf8JsonWriter> writeBody, CancellationToken cancellationToken, ICallPacer? apiPacer = null)
    {
        if (!_chat.ReconcilesHistory)
            throw new TencentApiException(RestFailure.Configuration, 0, "No REST call can be signed: set TencentChat__AdminIdentifier and TencentChat__SecretKey.");
        var body = JsonObject.Write(writeBody);
        try
        {
            return await CallOnceSignedAsync(command, body, apiPacer, cancellationToken).ConfigureAwait(false);
        }
        catch (TencentApiException ex) when (ex.Failure == RestFailure.SignatureExpired)
        {
            _sigs.Renew();
            return await CallOnceSignedAsync(command, body, apiPacer, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<JsonDocument> CallOnceSignedAsync(string command, byte[] body, ICallPacer? apiPacer, CancellationToken cancellationToken) =>
        await _retry.ExecuteAsync(async token =>
        {
            if (apiPacer is not null)
                await apiPacer.WaitAsync(token).ConfigureAwait(false);
            await _pacer.WaitAsync(token).ConfigureAwait(false);
            return await _timeout.ExecuteAsync(attemptToken => SendAsync(command, body, attemptToken), token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    private async ValueTask<JsonDocument> SendAsync(string command, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await SendOnceAsync(command, body, cancellationToken).ConfigureAwait(false);
            _metrics.TencentCalled("ok");
            return answer;
        }
        catch (Exception ex) when (ex is TencentApiException or HttpRequestException or OperationCanceledException)
        {
            // A cancelled attempt is the per-attempt timeout (or the caller), which the retry treats as transient too.
            _metrics.TencentCalled((TencentApiException.MeaningOf(ex) ?? RestFailure.Transient).ToString());
            throw;
        }
    }

    private async Task<JsonDocument> SendOnceAsync(string command, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(command)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var status = (int)response.StatusCode;
            var failure = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests ? RestFailure.Transient : RestFailure.Refused;
            throw new TencentApiException(failure, status, $"Tencent's REST API answered HTTP {status}.");
        }

        JsonDocument answer;
        try
        {
            answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            throw new TencentApiException(RestFailure.Transient, 0, "Tencent's REST API answered with a body that is not JSON.");
        }
        var root = answer.RootElement;
        var code = root.ValueKind == JsonValueKind.Object && root.TryGetProperty(GroupMessageFields.ErrorCode, out var errorCode) ? FlexibleInteger.Read(errorCode) ?? -1 : -1;
        if (code == 0)
            return answer;
        var info = root.ValueKind == JsonValueKind.Object && root.TryGetProperty(GroupMessageFields.ErrorInfo, out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
        answer.Dispose();
        var meaning = RestErrorCodes.Classify(code);
        var message = RestErrorCodes.SettingToFix(code) is { } setting
            ? $"Tencent refused the call with ErrorCode {code}: check {setting}."
            : $"Tencent refused the call with ErrorCode {code} ({Diagnostics.UntrustedText.Render(info)}).";
        throw new TencentApiException(meaning, code, message);
    }

    private Uri Url(string command)
    {
        var random = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(sizeof(uint)));
        return new Uri(string.Create(CultureInfo.InvariantCulture,
            $"{_chat.ApiBaseUrl.TrimEnd('/')}/v4/{command}?sdkappid={_chat.SdkAppIdNumber}&identifier={Uri.EscapeDataString(_chat.AdminIdentifier!)}&usersig={Uri.EscapeDataString(_sigs.Current)}&random={random}&contenttype=json"));
    }
}
