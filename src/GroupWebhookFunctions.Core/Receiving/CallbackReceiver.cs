using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.Relaying;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Receiving;

/// <summary>
/// Decides Tencent's answer to one callback. Everything that can be decided from the query is decided before the
/// body is read; an event is acknowledged only once the queue has it, and only when the synchronizer's own
/// judgement of the body (<see cref="CallbackJudge"/>) will let it be stored. Whatever goes wrong, the answer is JSON.
/// </summary>
/// <param name="relay">The app's own handler, when one is set: it answers before-events and gets after-events queued beside the event.</param>
public sealed class CallbackReceiver(
    TencentChatOptions options, IEventSink sink, TimeProvider clock, ILogger<CallbackReceiver> logger, GroupWebhookMetrics? metrics = null,
    CallbackRelay? relay = null)
{
    /// <summary>How often an ongoing storage outage, or a kind of refusal, is summed up in the log.</summary>
    public static readonly TimeSpan FaultReportInterval = TimeSpan.FromMinutes(1);

    private readonly TimeSpan _enqueueTimeout = TimeSpan.FromMilliseconds(options.EnqueueTimeoutMilliseconds);
    private readonly FaultEpisode _faults = new(clock, FaultReportInterval);
    private readonly LogThrottle _refusals = new(clock, FaultReportInterval);

    /// <param name="remoteAddress">Who sent the request, as far as the platform says (the last X-Forwarded-For hop), for logs only.</param>
    public async Task<CallbackReply> ReceiveAsync(CallbackQuery query, Stream body, string? remoteAddress, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var answer = new Answer(query.CallbackCommand);
        try
        {
            answer.Reply = await ReceiveCheckedAsync(query, body, new UntrustedText(remoteAddress), answer, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever fails, Tencent must get JSON that says the event may not be kept, never an empty 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ReportFault(ex, CallbackReply.UnexpectedFault, default);
            answer.Reply = CallbackReply.UnexpectedFault;
        }
        var reply = answer.Reply;
        metrics?.Answered(answer.Command, answer.Outcome ?? (reply.StatusCode == 503 ? WebhookOutcome.Unavailable : WebhookOutcome.Refused), reply.ErrorCode, started);
        return reply;
    }

    private async Task<CallbackReply> ReceiveCheckedAsync(CallbackQuery query, Stream body, UntrustedText remoteAddress, Answer answer, CancellationToken cancellationToken)
    {
        var queryReply = CheckQuery(query, remoteAddress, answer);
        if (queryReply is not null)
            return queryReply;

        PooledBuffer? bytes;
        try
        {
            bytes = await BodyReader.ReadAsync(body, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return Refuse(CallbackReply.BodyUnreadable, query, remoteAddress);
        }
        using var _ = bytes;
        if (bytes is null)
            return Refuse(CallbackReply.BodyTooLarge, query, remoteAddress);

        var judgement = CallbackJudge.Judge(bytes.WrittenSpan, query.CallbackCommand, keepEveryField: false);
        answer.Command = judgement.Command;
        if (judgement.Verdict == Verdict.Refused)
            return Refuse(judgement.Refusal!, query, remoteAddress);
        if (relay?.AnswersBefore(judgement.Command) == true)
        {
            answer.Outcome = WebhookOutcome.NotHandled;
            return await relay.AnswerBeforeAsync(query, judgement.Command, bytes.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        var relayed = relay?.Delivers(judgement.Command) == true;
        if (judgement.Verdict == Verdict.NotHandled && !relayed)
        {
            ReceiverLog.NotHandled(logger, new UntrustedText(judgement.Command));
            answer.Outcome = WebhookOutcome.NotHandled;
            return CallbackReply.Ok;
        }

        var receivedAt = clock.GetUtcNow();
        using var envelope = judgement.Verdict == Verdict.Accepted ? EnvelopeWriter.Write(query, judgement.Command, bytes.WrittenSpan, receivedAt) : null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_enqueueTimeout);
        try
        {
            // The event and its delivery are written side by side: OK waits for the slower, never for their sum.
            var stored = envelope is null ? Task.CompletedTask : sink.EnqueueAsync(envelope.WrittenMemory, deadline.Token);
            var queued = relayed ? relay!.EnqueueAsync(query, judgement.Command, bytes.WrittenMemory, receivedAt, deadline.Token) : Task.CompletedTask;
            await Task.WhenAll(stored, queued).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever storage throws, Tencent must hear "not kept", never OK.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            metrics?.StorageFailed("enqueue", ex);
            ReportFault(ex, CallbackReply.StorageUnavailable, judgement.Subject);
            return CallbackReply.StorageUnavailable;
        }

        if (_faults.Succeed() is { } outage)
            ReceiverLog.Recovered(logger, outage.Failures, outage.Duration);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var subject = judgement.Subject;
            ReceiverLog.Acknowledged(logger, new UntrustedText(judgement.Command), new UntrustedText(subject.GroupId), new UntrustedText(subject.TopicId),
                subject.MsgSeq, new UntrustedText(subject.MsgId), envelope?.Length ?? bytes.Length);
        }
        answer.Outcome = envelope is null ? WebhookOutcome.NotHandled : WebhookOutcome.Acknowledged;
        return CallbackReply.Ok;
    }

    private CallbackReply? CheckQuery(CallbackQuery query, UntrustedText remoteAddress, Answer answer)
    {
        if (query.RepeatedParameter is { } repeated)
            return RefuseUnverified(CallbackReply.QueryParameterRepeated.WithDetail($"'{repeated}'."), remoteAddress);
        if (string.IsNullOrEmpty(query.SdkAppId))
        {
            // Tencent's console checks the URL with a signed request that names no app.
            if (options.RequiresSignature && VerifySignature(query) == SignatureCheck.Valid)
            {
                ReceiverLog.UrlVerified(logger);
                answer.Outcome = WebhookOutcome.NotHandled;
                return CallbackReply.Ok;
            }
            return RefuseUnverified(CallbackReply.SdkAppIdMissing, remoteAddress);
        }
        if (!string.Equals(query.SdkAppId, options.SdkAppId, StringComparison.Ordinal))
            return RefuseUnverified(CallbackReply.SdkAppIdNotOurs, remoteAddress);
        if (!options.RequiresSignature)
            return null;
        return VerifySignature(query) switch
        {
            SignatureCheck.Valid => null,
            SignatureCheck.Missing => RefuseUnverified(CallbackReply.SignatureMissing, remoteAddress),
            SignatureCheck.MalformedRequestTime => RefuseUnverified(CallbackReply.RequestTimeMalformed, remoteAddress),
            SignatureCheck.Expired => RefuseUnverified(CallbackReply.RequestTimeOutsideWindow, remoteAddress),
            _ => RefuseUnverified(CallbackReply.SignatureMismatch, remoteAddress),
        };
    }

    private SignatureCheck VerifySignature(CallbackQuery query)
    {
        var now = clock.GetUtcNow();
        var check = CallbackSignature.Verify(options.CallbackToken!, query.Sign, query.RequestTime, now, options.MaxClockSkewSeconds);
        return check == SignatureCheck.Mismatch && !string.IsNullOrEmpty(options.PreviousCallbackToken)
            ? CallbackSignature.Verify(options.PreviousCallbackToken, query.Sign, query.RequestTime, now, options.MaxClockSkewSeconds)
            : check;
    }

    /// <summary>Nothing of a request that has not shown the token reaches the log but the kind of refusal and where it came from.</summary>
    private CallbackReply RefuseUnverified(CallbackReply reply, UntrustedText remoteAddress)
    {
        if (_refusals.TryPass(reply.ErrorCode, out var suppressed))
            ReceiverLog.RefusedUnverified(logger, reply.StatusCode, reply.ErrorCode, remoteAddress, suppressed);
        return reply;
    }

    private CallbackReply Refuse(CallbackReply reply, CallbackQuery query, UntrustedText remoteAddress)
    {
        if (_refusals.TryPass(reply.ErrorCode, out var suppressed))
            ReceiverLog.Refused(logger, reply.StatusCode, reply.ErrorCode, reply.ErrorInfo, new UntrustedText(query.CallbackCommand), new UntrustedText(query.ClientIp), remoteAddress, suppressed);
        return reply;
    }

    /// <summary>What one callback came to, for its metrics: set as the checks go.</summary>
    private sealed class Answer(string? command)
    {
        public string? Command { get; set; } = command;

        public string? Outcome { get; set; }

        public CallbackReply Reply { get; set; } = CallbackReply.UnexpectedFault;
    }

    private void ReportFault(Exception exception, CallbackReply reply, EventSubject identity)
    {
        switch (_faults.Fail())
        {
            case FaultReport.First:
                ReceiverLog.FaultStarted(logger, exception, reply.ErrorCode, new UntrustedText(identity.GroupId), new UntrustedText(identity.TopicId), identity.MsgSeq, new UntrustedText(identity.MsgId));
                break;
            case FaultReport.Summary:
                ReceiverLog.FaultContinues(logger, _faults.TakeCount(), reply.ErrorCode, exception.GetType().Name);
                break;
        }
    }
}
