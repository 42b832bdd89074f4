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
    private static readonly (string Name, GroupMessageField Field)[] Known =
    [
        (CallbackCommand, GroupMessageField.CallbackCommand),
        (GroupId, GroupMessageField.GroupId),
        (Type, GroupMessageField.Type),
        (FromAccount, GroupMessageField.FromAccount),
        (OperatorAccount, GroupMessageField.OperatorAccount),
        (Random, GroupMessageField.Random),
        (MsgSeq, GroupMessageField.MsgSeq),
        (MsgTime, GroupMessageField.MsgTime),
        (OnlineOnlyFlag, GroupMessageField.OnlineOnlyFlag),
        (MsgBody, GroupMessageField.MsgBody),
        (CloudCustomData, GroupMessageField.CloudCustomData),
        (EventTime, GroupMessageField.EventTime),
        (TopicId, GroupMessageField.TopicId),
        (MsgId, GroupMessageField.MsgId),
    ];

    public static GroupMessageField Match(ref Utf8JsonReader reader)
    {
        foreach (var (name, field) in Known)
        {
            if (reader.ValueTextEquals(name))
                return field;
        }
        return GroupMessageField.Unknown;
    }

    public static string NameOf(GroupMessageField field) => Array.Find(Known, k => k.Field == field).Name ?? field.ToString();
}
