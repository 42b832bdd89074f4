using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.Storage;
using F = GroupWebhookFunctions.TencentChat.GroupMessageFields;

namespace GroupWebhookFunctions.TencentChat.Callbacks;

/// <summary>Group.CallbackAfterReadReceipt: members read messages; each entry carries the message's counts and new readers.</summary>
public static class AfterReadReceipt
{
    public const string Command = "Group.CallbackAfterReadReceipt";

    public static readonly FieldRule ReaderAccount = new(F.MemberAccount, FieldKind.Text, identifies: true);

    public static readonly FieldRule EntryMsgSeq = new(F.MsgSeq, FieldKind.WholeNumber, identifies: true);
    public static readonly FieldRule EntryReadNum = new(F.ReadNum, FieldKind.WholeNumber);
    public static readonly FieldRule EntryUnreadNum = new(F.UnreadNum, FieldKind.WholeNumber);
    public static readonly FieldRule EntryReaders = new(F.ReadReceiptMembers, FieldKind.Records, identifies: true, new RecordSchema([ReaderAccount]));

    public static readonly FieldRule GroupIdField = new(F.GroupId, FieldKind.Text, identifies: true);
    public static readonly FieldRule TypeField = new(F.Type, FieldKind.Text, identifies: true);
    public static readonly FieldRule ReceiptListField = new(F.GroupMsgReceiptList, FieldKind.Records, identifies: true,
        new RecordSchema([EntryMsgSeq, EntryReadNum, EntryUnreadNum, EntryReaders]));
    public static readonly FieldRule EventTimeField = new(F.EventTime, FieldKind.WholeNumber);
    public static readonly FieldRule TopicIdField = new(F.TopicId, FieldKind.Text, identifies: true);

    public static readonly HandledCallback Callback = new(
        Command,
        HandledCallback.NewCommandField(),
        [GroupIdField, TypeField, ReceiptListField, EventTimeField, TopicIdField],
        Check,
        body => new EventSubject(body.Text(GroupIdField), body.Text(TopicIdField), body.Records(ReceiptListField) is [var first, ..] ? first.Number(EntryMsgSeq) ?? 0 : 0, null));

    /// <summary>Each entry's message, named as its send named it, or false when the entry names none.</summary>
    public static bool TryNameMessage(JudgedRecord body, JudgedRecord entry, out MessageIdentity identity) => MessageIdentity.TryNameSent(
        body.Text(GroupIdField), body.Text(TopicIdField), body.Text(TypeField), entry.Number(EntryMsgSeq), null, out identity);

    private static CallbackReply? Check(JudgedBody body)
    {
        if (string.IsNullOrEmpty(body.Text(GroupIdField)))
            return CallbackReply.GroupIdMissing;
        var entries = body.Records(ReceiptListField);
        if (entries.Count == 0)
            return CallbackReply.ReadReceiptUnusable;
        foreach (var entry in entries)
        {
            if (!TryNameMessage(body, entry, out var identity))
                return CallbackReply.ReadReceiptUnusable;
            if (!TableKeys.Fit(identity))
                return CallbackReply.IdentifierTooLong;
            foreach (var reader in entry.Records(EntryReaders))
            {
                if (reader.Text(ReaderAccount) is not { Length: > 0 } member)
                    return CallbackReply.ReadReceiptUnusable;
                if (!TableKeys.ReaderFits(identity, member))
                    return CallbackReply.IdentifierTooLong;
            }
        }
        return null;
    }
}
