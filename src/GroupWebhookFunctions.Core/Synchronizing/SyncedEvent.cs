using System.Runtime.InteropServices;
using System.Text.Json;
using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.Synchronizing;

/// <summary>A queued event as the synchronizer stores it: the envelope, and its body judged as the receiver judged it.</summary>
public sealed class SyncedEvent
{
    private readonly byte[] _json;

    private SyncedEvent(EventEnvelope envelope, HandledCallback callback, JudgedBody body, byte[] json)
    {
        Envelope = envelope;
        Callback = callback;
        Body = body;
        _json = json;
    }

    public EventEnvelope Envelope { get; }

    public HandledCallback Callback { get; }

    public JudgedBody Body { get; }

    /// <summary>The body's bytes exactly as received: the envelope embeds them raw.</summary>
    public ReadOnlySpan<byte> Json => _json;

    public EventSubject Subject => Callback.Subject(Body);

    /// <summary>When the acknowledgement received the event, in Unix milliseconds like Tencent's EventTime.</summary>
    public long ReceivedAtMilliseconds => Envelope.ReceivedAt?.ToUnixTimeMilliseconds() ?? 0;

    /// <summary>Tencent's EventTime, or the receive time where Tencent sent none.</summary>
    public long EventTimeOr(FieldRule eventTime) => Body.Number(eventTime) ?? ReceivedAtMilliseconds;

    /// <exception cref="UnprocessableEventException">The envelope's body does not pass the receiver's judgement.</exception>
    public static SyncedEvent From(EventEnvelope envelope)
    {
        if (envelope.Body is not { ValueKind: JsonValueKind.Object } body)
            throw new UnprocessableEventException("The envelope carries no JSON object as its Body.");
        var json = JsonMarshal.GetRawUtf8Value(body).ToArray();
        var judgement = CallbackJudge.Judge(json, envelope.CallbackCommand, keepEveryField: true);
        if (judgement.Verdict != Verdict.Accepted)
            throw new UnprocessableEventException(judgement.Refusal?.ErrorInfo ?? "The envelope's CallbackCommand is not one this app stores.");
        return new SyncedEvent(envelope, judgement.Callback!, judgement.Body!, json);
    }
}

/// <summary>Applies one command's events to the tables; one small handler per Tencent command.</summary>
public interface ICallbackHandler
{
    string Command { get; }

    Task<SyncOutcome> HandleAsync(SyncedEvent synced, CancellationToken cancellationToken);
}
