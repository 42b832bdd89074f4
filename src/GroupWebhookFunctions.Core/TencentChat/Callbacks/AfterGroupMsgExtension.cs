using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.Storage;
using F = GroupWebhookFunctions.TencentChat.GroupMessageFields;

namespace GroupWebhookFunctions.TencentChat.Callbacks;

/// <summary>Group.CallbackAfterGroupMsgExtension: a message's extension keys were set, deleted or cleared.</summary>
public static class AfterGroupMsgExtension
{
    public const string Command = "Group.CallbackAfterGroupMsgExtension";

    public const long Set = 1;
    public const long Delete = 2;
    public const long Clear = 3;

    public static readonly FieldRule EntryKey = new(F.Key, FieldKind.Text, identifies: true);
    public static readonly FieldRule EntryValue = new(F.Value, FieldKind.Text);
    public static readonly FieldRule EntrySeq = new(F.Seq, FieldKind.WholeNumber);

    public static readonly FieldRule GroupIdField = new(F.GroupId, FieldKind.Text, identifies: true);
    public static readonly FieldRule MsgSeqField = new(F.MsgSeq, FieldKind.WholeNumber);
    public static readonly FieldRule OperateTypeField = new(F.OperateType, FieldKind.WholeNumber);
    public static readonly FieldRule ExtensionListField = new(F.ExtensionList, FieldKind.Records, identifies: true, items: new RecordSchema([EntryKey, EntryValue, EntrySeq]));
    public static readonly FieldRule SeqField = new(F.Seq, FieldKind.WholeNumber);
    public static readonly FieldRule EventTimeField = new(F.EventTime, FieldKind.WholeNumber);

    // Not in Tencent's samples; accepted should a community's topic or the group type come along.
    public static readonly FieldRule TopicIdField = new(F.TopicId, FieldKind.Text, identifies: true);
    public static readonly FieldRule TypeField = new(F.Type, FieldKind.Text, identifies: true);
    public static readonly FieldRule MsgIdField = new(F.MsgId, FieldKind.Text, identifies: true);

    public static readonly HandledCallback Callback = new(
        Command,
        HandledCallback.NewCommandField(),
        [GroupIdField, MsgSeqField, OperateTypeField, ExtensionListField, SeqField, EventTimeField, TopicIdField, TypeField, MsgIdField],
        Check,
        body => new EventSubject(body.Text(GroupIdField), body.Text(TopicIdField), body.Number(MsgSeqField) ?? 0, body.Text(MsgIdField)));

    public static bool TryNameMessage(JudgedRecord body, out MessageIdentity identity) => MessageIdentity.TryNameSent(
        body.Text(GroupIdField), body.Text(TopicIdField), body.Text(TypeField), body.Number(MsgSeqField), body.Text(MsgIdField), out identity);

    private static CallbackReply? Check(JudgedBody body)
    {
        if (string.IsNullOrEmpty(body.Text(GroupIdField)))
            return CallbackReply.GroupIdMissing;
        if (!TryNameMessage(body, out var identity) || body.Number(SeqField) is null || body.Number(OperateTypeField) is not (Set or Delete or Clear))
            return CallbackReply.ExtensionUnusable;
        // A key's Seq orders it against the other events of its key; the body's Seq stands in when an entry has none.
        if (body.Number(OperateTypeField) != Clear)
        {
            foreach (var entry in body.Records(ExtensionListField))
            {
                if (string.IsNullOrEmpty(entry.Text(EntryKey)))
                    return CallbackReply.ExtensionUnusable;
            }
        }
        return TableKeys.Fit(identity) ? null : CallbackReply.IdentifierTooLong;
    }
}
