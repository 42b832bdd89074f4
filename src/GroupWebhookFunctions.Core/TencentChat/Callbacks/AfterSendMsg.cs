using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.Storage;
using F = GroupWebhookFunctions.TencentChat.GroupMessageFields;

namespace GroupWebhookFunctions.TencentChat.Callbacks;

/// <summary>Group.CallbackAfterSendMsg: a message was sent to a group. Its row is the one every later event changes.</summary>
public static class AfterSendMsg
{
    public const string Command = "Group.CallbackAfterSendMsg";

    // In the order Tencent sends them, so the usual body matches on the first comparisons.
    public static readonly FieldRule GroupIdField = new(F.GroupId, FieldKind.Text, identifies: true);
    public static readonly FieldRule TypeField = new(F.Type, FieldKind.Text, identifies: true);
    public static readonly FieldRule FromAccountField = new(F.FromAccount, FieldKind.Text, identifies: true);
    public static readonly FieldRule OperatorAccountField = new(F.OperatorAccount, FieldKind.Text);
    public static readonly FieldRule RandomField = new(F.Random, FieldKind.WholeNumber);
    public static readonly FieldRule MsgSeqField = new(F.MsgSeq, FieldKind.WholeNumber);
    public static readonly FieldRule MsgTimeField = new(F.MsgTime, FieldKind.WholeNumber);
    public static readonly FieldRule OnlineOnlyFlagField = new(F.OnlineOnlyFlag, FieldKind.WholeNumber);
    public static readonly FieldRule MsgBodyField = new(F.MsgBody, FieldKind.Elements);
    public static readonly FieldRule CloudCustomDataField = new(F.CloudCustomData, FieldKind.Text);
    public static readonly FieldRule EventTimeField = new(F.EventTime, FieldKind.WholeNumber);
    public static readonly FieldRule TopicIdField = new(F.TopicId, FieldKind.Text, identifies: true);
    public static readonly FieldRule MsgIdField = new(F.MsgId, FieldKind.Text, identifies: true);

    public static readonly HandledCallback Callback = new(
        Command,
        HandledCallback.NewCommandField(),
        [GroupIdField, TypeField, FromAccountField, OperatorAccountField, RandomField, MsgSeqField, MsgTimeField, OnlineOnlyFlagField,
         MsgBodyField, CloudCustomDataField, EventTimeField, TopicIdField, MsgIdField],
        Check,
        body => Identify(body, out var identity) == IdentityProblem.None
            ? new EventSubject(identity.GroupId, identity.TopicId, identity.MsgSeq, identity.MsgId)
            : default);

    public static IdentityProblem Identify(JudgedRecord body, out MessageIdentity identity) => MessageIdentity.TryCreate(
        body.Text(GroupIdField), body.Text(TopicIdField), body.Text(TypeField), body.Number(MsgSeqField), body.Text(MsgIdField),
        body.Text(FromAccountField), body.Number(RandomField), body.Number(MsgTimeField), out identity);

    private static CallbackReply? Check(JudgedBody body) => Identify(body, out var identity) switch
    {
        IdentityProblem.None when !TableKeys.Fit(identity) => CallbackReply.IdentifierTooLong,
        IdentityProblem.None => null,
        IdentityProblem.GroupIdMissing => CallbackReply.GroupIdMissing,
        _ => CallbackReply.MessageIdentityMissing,
    };
}
