using System.Collections.Frozen;
using GroupWebhookFunctions.Judging;

namespace GroupWebhookFunctions.TencentChat.Callbacks;

/// <summary>What an event is about, as far as its log lines say: one message can be followed across both functions.</summary>
public readonly record struct EventSubject(string? GroupId, string? TopicId, long MsgSeq, string? MsgId);

/// <summary>
/// A Tencent callback command this app stores: the shape of its body and the check beyond field kinds (required
/// fields, keys that fit a table). Both functions judge a body by it.
/// </summary>
public sealed class HandledCallback
{
    private readonly Func<JudgedBody, CallbackReply?> _check;
    private readonly Func<JudgedBody, EventSubject> _subject;

    public HandledCallback(string command, FieldRule commandField, IReadOnlyList<FieldRule> fields, Func<JudgedBody, CallbackReply?> check, Func<JudgedBody, EventSubject> subject)
    {
        Command = command;
        CommandField = commandField;
        Schema = new RecordSchema([commandField, .. fields]);
        _check = check;
        _subject = subject;
    }

    public string Command { get; }

    public FieldRule CommandField { get; }

    public RecordSchema Schema { get; }

    /// <summary>Why a body of the right shape still cannot be stored, or null.</summary>
    public CallbackReply? Check(JudgedBody body) => _check(body);

    public EventSubject Subject(JudgedBody body) => _subject(body);

    /// <summary>The CallbackCommand field every body may carry, kept for comparing with the query.</summary>
    internal static FieldRule NewCommandField() => new(GroupMessageFields.CallbackCommand, FieldKind.Text, identifies: true);
}

public static class HandledCallbacks
{
    private static readonly FrozenDictionary<string, HandledCallback> ByCommand = new[]
    {
        AfterSendMsg.Callback,
        AfterRecallMsg.Callback,
        AfterGroupMsgExtension.Callback,
        AfterReadReceipt.Callback,
        AfterGroupDestroyed.Callback,
        AfterTopicDestroyed.Callback,
        SendMsgException.Callback,
    }.ToFrozenDictionary(c => c.Command, StringComparer.Ordinal);

    public static IEnumerable<string> Commands => ByCommand.Keys;

    public static HandledCallback? Find(string command) => ByCommand.GetValueOrDefault(command);
}
