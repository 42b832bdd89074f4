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

    /// <summary>An array of message elements, each a JSON object (MsgBody).</summary>
    Elements,
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
    public static IReadOnlyList<(string Name, GroupMessageField Field, FieldKind Kind)> All => Known;

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
        (MsgBody, GroupMessageField.MsgBody, FieldKind.Elements),
        (CloudCustomData, GroupMessageField.CloudCustomData, FieldKind.Text),
        (EventTime, GroupMessageField.EventTime, FieldKind.WholeNumber),
        (TopicId, GroupMessageField.TopicId, FieldKind.Text),
        (MsgId, GroupMessageField.MsgId, FieldKind.Text),
    ];

    public static int Count { get; } = Enum.GetValues<GroupMessageField>().Length;

    private static readonly FieldKind[] Kinds = new FieldKind[Count];
    private static readonly string?[] Names = new string?[Count];

#pragma warning disable CA1810 // Both lookups are filled from the one table in one pass.
    static GroupMessageFields()
#pragma warning restore CA1810
    {
        foreach (var (name, field, kind) in Known)
            (Kinds[(int)field], Names[(int)field]) = (kind, name);
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

    public static string NameOf(GroupMessageField field) => Names[(int)field] ?? field.ToString();

    /// <summary>Looked up once per field of every callback, so indexed by the enum rather than searched.</summary>
    public static FieldKind KindOf(GroupMessageField field) => Kinds[(int)field];

    /// <summary>The JSON a field must hold, in words, for an error that names it.</summary>
    public static string Describe(GroupMessageField field) => KindOf(field) switch
    {
        FieldKind.WholeNumber => "an integer (a number or a string of digits)",
        FieldKind.Elements => "an array of message elements (JSON objects)",
        _ => "a string",
    };
}
