using GroupWebhookFunctions.TencentChat;

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

/// <summary>The outcome of judging one callback body.</summary>
public readonly record struct CallbackJudgement(Verdict Verdict, string Command, JudgedBody? Body, MessageIdentity Identity, CallbackReply? Refusal)
{
    public static CallbackJudgement Refuse(CallbackReply refusal, string command = "") => new(Verdict.Refused, command, null, default, refusal);
}
