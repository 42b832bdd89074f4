using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.Judging;

public enum Verdict
{
    /// <summary>A handled command whose body the synchronizer can store: acknowledge it once queued.</summary>
    Accepted,

    /// <summary>A well-formed body of a command this app does not handle: answer OK and keep nothing.</summary>
    NotHandled,

    /// <summary>Refused with <see cref="CallbackJudgement.Refusal"/>.</summary>
    Refused,
}

/// <summary>The outcome of judging one callback body; <see cref="Callback"/> and <see cref="Body"/> are set when accepted.</summary>
public readonly record struct CallbackJudgement(Verdict Verdict, string Command, HandledCallback? Callback, JudgedBody? Body, CallbackReply? Refusal)
{
    public static CallbackJudgement Refuse(CallbackReply refusal, string command = "") => new(Verdict.Refused, command, null, null, refusal);

    /// <summary>What the event is about, for log lines that follow one message across both functions.</summary>
    public EventSubject Subject => Callback is not null && Body is not null ? Callback.Subject(Body) : default;
}
