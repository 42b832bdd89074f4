using System.Diagnostics;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.TencentChat;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Relaying;

/// <summary>
/// Answers a before-event with the handler's own answer, byte for byte. Tencent waits 2 seconds and never retries a
/// before-event, so the handler gets <see cref="RelayOptions.BeforeTimeoutMilliseconds"/>; whatever else happens,
/// Tencent gets the answer it would give itself when a before-callback fails: allow.
/// </summary>
public sealed class BeforeEventForwarder(RelayOptions options, HandlerClient handler, TimeProvider clock, ILogger<BeforeEventForwarder> logger, GroupWebhookMetrics? metrics = null)
{
    /// <summary>How often a handler that keeps failing is summed up in the log.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(1);

    private readonly Uri _handler = new(options.Url!);
    private readonly TimeSpan _timeout = TimeSpan.FromMilliseconds(options.BeforeTimeoutMilliseconds);
    private readonly LogThrottle _warnings = new(clock, ReportInterval);

    /// <summary>What Tencent does when a before-callback fails or times out, and so what it hears when the handler does.</summary>
    public static CallbackReply Fallback => CallbackReply.Ok;

    public async Task<CallbackReply> AnswerAsync(CallbackQuery query, string command, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var answer = await handler.PostAsync(RelayQuery.Target(_handler, RelayQuery.Of(query)), body, _timeout, cancellationToken).ConfigureAwait(false);
        if (answer.Succeeded)
        {
            metrics?.RelayAnsweredBefore(GroupWebhookMetrics.RelaySource.Handler, null, started);
            return CallbackReply.Verbatim(answer.Body!);
        }
        metrics?.RelayAnsweredBefore(GroupWebhookMetrics.RelaySource.Fallback, answer.Failure, started);
        if (_warnings.TryPass(0, out var suppressed))
            RelayLog.BeforeFellBack(logger, new UntrustedText(command), answer.Failure!, suppressed);
        return Fallback;
    }
}
