using System.Text.Json;

namespace GroupWebhookFunctions.TencentChat;

public enum GroupMessageField
{
    Unknown,
    CallbackCommand,
    GroupId,
    TopicId,
    Type,
    FromAccount,
    OperatorAccount,
    MsgId,
    MsgSeq,
    Random,
    MsgTime,
    OnlineOnlyFlag,
    EventTime,
    MsgBody,
    CloudCustomData,
}

/// <summary>The JSON type Tencent documents for a field; integers may also come as strings of digits.</summary>
public enum FieldKind
{
    Unknown,
    Text,
    WholeNumber,
    Array,
}

/// <summary>The top-level field names of Group.CallbackAfterSendMsg, as Tencent spells them.</summary>
public static class GroupMessageFields
{
    public const string CallbackCommand = "CallbackCommand";
    public const string GroupId = "GroupId";
    public const string TopicId = "TopicId";
    public const string Type = "Type";
    public const string FromAccount = "From_Account";
    public const string OperatorAccount = "Operator_Account";
    public const string MsgId = "MsgId";
    public const string MsgSeq = "MsgSeq";
    public const string Random = "Random";
    public const string MsgTime = "MsgTime";
    public const string OnlineOnlyFlag = "OnlineOnlyFlag";
    public const string MsgBody = "MsgBody";
    public const string CloudCustomData = "CloudCustomData";
    public const string EventTime = "EventTime";

    // In the order Tencent sends them, so the usual body matches on the first comparisons.
    private static readonly (string Name, GroupMessageField Field, FieldKind Kind)[] Known =
    [
        (CallbackCommand, GroupMessageField.CallbackCommand, FieldKind.Text),
        (GroupId, GroupMessageField.GroupId, FieldKind.Text),
        (Type, GroupMessageField.Type, FieldKind.Text),
        (FromAccount, GroupMessageField.FromAccount, FieldKind.Text),
        (OperatorAccount, GroupMessageField.OperatorAccount, FieldKind.Text),
        (Random, GroupMessageField.Random, FieldKind.WholeNumber),
        (MsgSeq, GroupMessageField.MsgSeq, FieldKind.WholeNumber),
        (MsgTime, GroupMessageField.MsgTime, FieldKind.WholeNumber),
        (OnlineOnlyFlag, GroupMessageField.OnlineOnlyFlag, FieldKind.WholeNumber),
        (MsgBody, GroupMessageField.MsgBody, FieldKind.Array),
        (CloudCustomData, GroupMessageField.CloudCustomData, FieldKind.Text),
        (EventTime, GroupMessageField.EventTime, FieldKind.WholeNumber),
        (TopicId, GroupMessageField.TopicId, FieldKind.Text),
        (MsgId, GroupMessageField.MsgId, FieldKind.Text),
    ];

    private static readonly FieldKind[] Kinds = BuildKinds();

    private static FieldKind[] BuildKinds()
    {
        var kinds = new FieldKind[Enum.GetValues<GroupMessageField>().Length];
        foreach (var (_, field, kind) in Known)
            kinds[(int)field] = kind;
        return kinds;
    }

    public static GroupMessageField Match(ref Utf8JsonReader reader)
    {
        foreach (var (name, field, _) in Known)
        {
            if (reader.ValueTextEquals(name))
                return field;
        }
        return GroupMessageField.Unknown;
    }

    public static string NameOf(GroupMessageField field) => Array.Find(Known, k => k.Field == field).Name ?? field.ToString();

    /// <summary>Looked up once per field of every callback, so indexed by the enum rather than searched.</summary>
    public static FieldKind KindOf(GroupMessageField field) => Kinds[(int)field];

    /// <summary>The JSON a field must hold, in words, for an error that names it.</summary>
    public static string Describe(GroupMessageField field) => KindOf(field) switch
    {
        FieldKind.WholeNumber => "an integer (a number or a string of digits)",
        FieldKind.Array => "an array",
        _ => "a string",
    };
}
