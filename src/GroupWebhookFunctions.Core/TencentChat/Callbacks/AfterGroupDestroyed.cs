using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.Storage;
using F = GroupWebhookFunctions.TencentChat.GroupMessageFields;

namespace GroupWebhookFunctions.TencentChat.Callbacks;

/// <summary>Group.CallbackAfterGroupDestroyed: a group was disbanded. Its messages stay; its summary says so.</summary>
public static class AfterGroupDestroyed
{
    public const string Command = "Group.CallbackAfterGroupDestroyed";

    public static readonly FieldRule MemberAccountField = new(F.MemberAccount, FieldKind.Text);

    public static readonly FieldRule OperatorAccountField = new(F.OperatorAccount, FieldKind.Text);
    public static readonly FieldRule GroupIdField = new(F.GroupId, FieldKind.Text, identifies: true);
    public static readonly FieldRule TypeField = new(F.Type, FieldKind.Text, identifies: true);
    public static readonly FieldRule OwnerAccountField = new(F.OwnerAccount, FieldKind.Text);
    public static readonly FieldRule NameField = new(F.Name, FieldKind.Text);
    public static readonly FieldRule MemberListField = new(F.MemberList, FieldKind.Records, items: new RecordSchema([MemberAccountField]));
    public static readonly FieldRule EventTimeField = new(F.EventTime, FieldKind.WholeNumber);

    public static readonly HandledCallback Callback = new(
        Command,
        HandledCallback.NewCommandField(),
        [OperatorAccountField, GroupIdField, TypeField, OwnerAccountField, NameField, MemberListField, EventTimeField],
        Check,
        body => new EventSubject(body.Text(GroupIdField), null, 0, null));

    private static CallbackReply? Check(JudgedBody body)
    {
        var groupId = body.Text(GroupIdField);
        if (string.IsNullOrEmpty(groupId))
            return CallbackReply.GroupIdMissing;
        return TableKeys.ConversationFits(groupId, null) ? null : CallbackReply.IdentifierTooLong;
    }
}
