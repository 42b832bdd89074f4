using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.Storage;
using F = GroupWebhookFunctions.TencentChat.GroupMessageFields;

namespace GroupWebhookFunctions.TencentChat.Callbacks;

/// <summary>Group.CallbackSendMsgException: Tencent could not deliver a group message. It has no MsgSeq and opens no gap.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Named as Tencent names the command.")]
public static class SendMsgException
{
    public const string Command = "Group.CallbackSendMsgException";

    public static readonly FieldRule GroupIdField = new(F.GroupId, FieldKind.Text, identifies: true);
    public static readonly FieldRule TypeField = new(F.Type, FieldKind.Text, identifies: true);
    public static readonly FieldRule FromAccountField = new(F.FromAccount, FieldKind.Text, identifies: true);
    public static readonly FieldRule OperatorAccountField = new(F.OperatorAccount, FieldKind.Text);
    public static readonly FieldRule RandomField = new(F.Random, FieldKind.WholeNumber);
    public static readonly FieldRule OnlineOnlyFlagField = new(F.OnlineOnlyFlag, FieldKind.WholeNumber);
    public static readonly FieldRule MsgBodyField = new(F.MsgBody, FieldKind.Elements);
    public static readonly FieldRule CloudCustomDataField = new(F.CloudCustomData, FieldKind.Text);
    public static readonly FieldRule ErrorCodeField = new(F.ErrorCode, FieldKind.WholeNumber);
    public static readonly FieldRule ErrorInfoField = new(F.ErrorInfo, FieldKind.Text);
    public static readonly FieldRule EventTimeField = new(F.EventTime, FieldKind.WholeNumber);

    // Not in Tencent's sample; accepted should a community's topic come along.
    public static readonly FieldRule TopicIdField = new(F.TopicId, FieldKind.Text, identifies: true);

    public static readonly HandledCallback Callback = new(
        Command,
        HandledCallback.NewCommandField(),
        [GroupIdField, TypeField, FromAccountField, OperatorAccountField, RandomField, OnlineOnlyFlagField, MsgBodyField,
         CloudCustomDataField, ErrorCodeField, ErrorInfoField, EventTimeField, TopicIdField],
        Check,
        body => new EventSubject(body.Text(GroupIdField), body.Text(TopicIdField), 0, null));

    private static CallbackReply? Check(JudgedBody body)
    {
        var groupId = body.Text(GroupIdField);
        if (string.IsNullOrEmpty(groupId))
            return CallbackReply.GroupIdMissing;
        if (body.Number(ErrorCodeField) is null)
            return CallbackReply.SendFailureUnusable;
        return TableKeys.ConversationFits(groupId, body.Text(TopicIdField)) ? null : CallbackReply.IdentifierTooLong;
    }
}
