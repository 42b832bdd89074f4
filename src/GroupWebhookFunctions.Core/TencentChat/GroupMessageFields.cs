namespace GroupWebhookFunctions.TencentChat;

/// <summary>Field names of Tencent's group callbacks, as Tencent spells them; the tables use them as column names.</summary>
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
    public const string MsgSeqList = "MsgSeqList";
    public const string OperateType = "OperateType";
    public const string ExtensionList = "ExtensionList";
    public const string Seq = "Seq";
    public const string Key = "Key";
    public const string Value = "Value";
    public const string GroupMsgReceiptList = "GroupMsgReceiptList";
    public const string ReadNum = "ReadNum";
    public const string UnreadNum = "UnreadNum";
    public const string ReadReceiptMembers = "ReadReceiptMembers";
    public const string MemberAccount = "Member_Account";
    public const string OwnerAccount = "Owner_Account";
    public const string Name = "Name";
    public const string MemberList = "MemberList";
    public const string TopicIdList = "TopicIdList";
    public const string ErrorCode = "ErrorCode";
    public const string ErrorInfo = "ErrorInfo";
}
