using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Receiving;

/// <summary>
/// Decides Tencent's answer to one callback. Everything that can be decided from the query is decided before the
/// body is read; an event is acknowledged only once the queue has it.
/// </summary>
public sealed class CallbackReceiver(TencentChatOptions options, IEventSink sink, TimeProvider clock, ILogger<CallbackReceiver> logger)
{
    private readonly TimeSpan _enqueueTimeout = TimeSpan.FromMilliseconds(options.EnqueueTimeoutMilliseconds);

    public async Task<CallbackReply> ReceiveAsync(CallbackQuery query, Stream body, CancellationToken cancellationToken)
    {
        var queryReply = CheckQuery(query);
        if (queryReply is not null)
            return queryReply;

        using var bytes = await BodyReader.ReadAsync(body, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
            return Reject(CallbackReply.BodyTooLarge, query);

        var reply = CheckBody(query, bytes.WrittenSpan, out var command, out var identity);
        if (reply is not null)
            return reply;

        using var envelope = EnvelopeWriter.Write(query, command, bytes.WrittenSpan, clock.GetUtcNow());
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_enqueueTimeout);
        try
        {
            await sink.EnqueueAsync(envelope.WrittenMemory, deadline.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever storage throws, Tencent must hear "not kept", never OK.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ReceiverLog.EnqueueFailed(logger, ex, identity.GroupId, identity.TopicId, identity.MsgSeq, identity.MsgId);
            return CallbackReply.StorageUnavailable;
        }

        ReceiverLog.Acknowledged(logger, command, identity.GroupId, identity.TopicId, identity.MsgSeq, identity.MsgId, envelope.Length);
        return CallbackReply.Ok;
    }

    private CallbackReply? CheckQuery(CallbackQuery query)
    {
        if (string.IsNullOrEmpty(query.SdkAppId))
        {
            // Tencent's console checks the URL with a signed request that names no app.
            if (options.RequiresSignature && VerifySignature(query) == SignatureCheck.Valid)
            {
                ReceiverLog.UrlVerified(logger);
                return CallbackReply.Ok;
            }
            return Reject(CallbackReply.SdkAppIdMissing, query);
        }
        if (!string.Equals(query.SdkAppId, options.SdkAppId, StringComparison.Ordinal))
            return Reject(CallbackReply.SdkAppIdNotOurs, query);
        if (!options.RequiresSignature)
            return null;
        return VerifySignature(query) switch
        {
            SignatureCheck.Valid => null,
            SignatureCheck.Missing => Reject(CallbackReply.SignatureMissing, query),
            SignatureCheck.MalformedRequestTime => Reject(CallbackReply.RequestTimeMalformed, query),
            SignatureCheck.Expired => Reject(CallbackReply.RequestTimeOutsideWindow, query),
            _ => Reject(CallbackReply.SignatureMismatch, query),
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

    private CallbackReply? CheckBody(CallbackQuery query, ReadOnlySpan<byte> json, out string command, out MessageIdentity identity)
    {
        command = "";
        identity = default;
        if (!CallbackBodyInspector.TryInspect(json, out var body))
            return Reject(CallbackReply.BodyNotJsonObject, query);

        if (!string.IsNullOrEmpty(query.CallbackCommand) && !string.IsNullOrEmpty(body.CallbackCommand)
            && !string.Equals(query.CallbackCommand, body.CallbackCommand, StringComparison.Ordinal))
            return Reject(CallbackReply.CallbackCommandMismatch.WithDetail($"Query: '{query.CallbackCommand}', body: '{body.CallbackCommand}'."), query);
        command = (string.IsNullOrEmpty(query.CallbackCommand) ? body.CallbackCommand : query.CallbackCommand) ?? "";
        if (command.Length == 0)
            return Reject(CallbackReply.CallbackCommandMissing, query);

        if (!CallbackCommands.IsHandled(command))
        {
            ReceiverLog.NotHandled(logger, command);
            return CallbackReply.Ok;
        }
        if (body.MistypedField is { } field)
            return Reject(CallbackReply.FieldHasWrongType.WithDetail($"'{GroupMessageFields.NameOf(field)}' must be {GroupMessageFields.Describe(field)}."), query);

        return body.TryIdentify(out identity) switch
        {
            IdentityProblem.None when !TableKeys.Fit(identity) => Reject(CallbackReply.IdentifierTooLong, query),
            IdentityProblem.None => null,
            IdentityProblem.GroupIdMissing => Reject(CallbackReply.GroupIdMissing, query),
            _ => Reject(CallbackReply.MessageIdentityMissing, query),
        };
    }

    private CallbackReply Reject(CallbackReply reply, CallbackQuery query)
    {
        ReceiverLog.Rejected(logger, reply.StatusCode, reply.ErrorCode, reply.ErrorInfo, query.CallbackCommand, query.ClientIp);
        return reply;
    }
}
