using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Judging;

/// <summary>
/// What the judgement read from a body: each documented field's value, where each array and unknown field lies in
/// the body's bytes, and the first field that breaks its documented kind. It keeps every string only when asked to,
/// so that acknowledging allocates just the identity.
/// </summary>
public sealed class JudgedBody(bool keepsEveryField)
{
    // Presence is kept in bit masks beside plain arrays: a webhook is judged on the hot path, so every byte counts.
    private readonly string?[] _texts = new string?[GroupMessageFields.Count];
    private readonly long[] _numbers = new long[GroupMessageFields.Count];
    private readonly Range[] _raw = new Range[GroupMessageFields.Count];
    private int _seen;
    private int _numbered;
    private int _rawSet;

    public bool KeepsEveryField { get; } = keepsEveryField;

    /// <summary>Top-level fields no version of this app names, in the order sent, each as its name and raw JSON value.</summary>
    public List<(string Name, Range Value)>? UnknownFields { get; private set; }

    /// <summary>The first documented field that is of the wrong kind, repeated, or holds an element that is not an object.</summary>
    public CallbackReply? FieldProblem { get; private set; }

    public string? Text(GroupMessageField field) => _texts[(int)field];

    public long? Number(GroupMessageField field) => (_numbered & Bit(field)) != 0 ? _numbers[(int)field] : null;

    /// <summary>Where an array field's value lies in the body, when it was sent as an array.</summary>
    public Range? Raw(GroupMessageField field) => (_rawSet & Bit(field)) != 0 ? _raw[(int)field] : null;

    public IdentityProblem TryIdentify(out MessageIdentity identity) => MessageIdentity.TryCreate(
        Text(GroupMessageField.GroupId), Text(GroupMessageField.TopicId), Text(GroupMessageField.Type), Number(GroupMessageField.MsgSeq),
        Text(GroupMessageField.MsgId), Text(GroupMessageField.FromAccount), Number(GroupMessageField.Random), Number(GroupMessageField.MsgTime),
        out identity);

    /// <summary>Only the fields that route and identify a callback are needed to acknowledge it.</summary>
    internal bool Keeps(GroupMessageField field) => KeepsEveryField || field is GroupMessageField.CallbackCommand or GroupMessageField.GroupId
        or GroupMessageField.TopicId or GroupMessageField.Type or GroupMessageField.FromAccount or GroupMessageField.MsgId;

    /// <summary>False when the field was already seen: a repeated field would leave its value ambiguous.</summary>
    internal bool MarkSeen(GroupMessageField field)
    {
        var bit = Bit(field);
        if ((_seen & bit) != 0)
            return false;
        _seen |= bit;
        return true;
    }

    internal void Set(GroupMessageField field, string? value) => _texts[(int)field] = value;

    internal void Set(GroupMessageField field, long? value)
    {
        if (value is not { } number)
            return;
        _numbers[(int)field] = number;
        _numbered |= Bit(field);
    }

    internal void Set(GroupMessageField field, Range value)
    {
        _raw[(int)field] = value;
        _rawSet |= Bit(field);
    }

    private static int Bit(GroupMessageField field) => 1 << (int)field;

    internal void AddUnknown(string name, Range value) => (UnknownFields ??= []).Add((name, value));

    internal void Problem(CallbackReply problem) => FieldProblem ??= problem;
}
