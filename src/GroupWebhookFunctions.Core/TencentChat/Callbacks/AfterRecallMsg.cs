using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.Storage;
using F = GroupWebhookFunctions.TencentChat.GroupMessageFields;

namespace GroupWebhookFunctions.TencentChat.Callbacks;

/// <summary>Group.CallbackAfterRecallMsg: one or more messages of a group were recalled.</summary>
public static class AfterRecallMsg
{
    public const string Command = "Group.CallbackAfterRecallMsg";

    public static readonly FieldRule EntryMsgSeq = new(F.MsgSeq, FieldKind.WholeNumber, identifies: true);
    public static readonly FieldRule EntryMsgId = new(F.MsgId, FieldKind.Text, identifies: true);

    public static readonly FieldRule OperatorAccountField = new(F.OperatorAccount, FieldKind.Text);
    public static readonly FieldRule TypeField = new(F.Type, FieldKind.Text, identifies: true);
    public static readonly FieldRule GroupIdField = new(F.GroupId, FieldKind.Text, identifies: true);

    /// <summary>Documented as objects; a bare integer is read as its MsgSeq.</summary>
    public static readonly FieldRule MsgSeqListField = new(F.MsgSeqList, FieldKind.Records, identifies: true, new RecordSchema([EntryMsgSeq, EntryMsgId], bareNumber: EntryMsgSeq));
    public static readonly FieldRule TopicIdField = new(F.TopicId, FieldKind.Text, identifies: true);
    public static readonly FieldRule EventTimeField = new(F.EventTime, FieldKind.WholeNumber);

    public static readonly HandledCallback Callback = new(
        Command,
        HandledCallback.NewCommandField(),
        [OperatorAccountField, TypeField, GroupIdField, MsgSeqListField, TopicIdField, EventTimeField],
        Check,
        body => new EventSubject(body.Text(GroupIdField), body.Text(TopicIdField), body.Records(MsgSeqListField) is [var first, ..] ? first.Number(EntryMsgSeq) ?? 0 : 0, null));

    /// <summary>The recalled message an entry names, as its send named it; false when it names none (the check refuses that).</summary>
    public static bool TryNameRecalled(JudgedRecord body, JudgedRecord entry, out MessageIdentity identity) => MessageIdentity.TryNameSent(
        body.Text(GroupIdField), body.Text(TopicIdField), body.Text(TypeField), entry.Number(EntryMsgSeq), entry.Text(EntryMsgId), out identity);

    private static CallbackReply? Check(JudgedBody body)
    {
        if (string.IsNullOrEmpty(body.Text(GroupIdField)))
            return CallbackReply.GroupIdMissing;
        var entries = body.Records(MsgSeqListField);
        if (entries.Count == 0)
            return CallbackReply.RecallListUnusable;
        foreach (var entry in entries)
        {
            if (!TryNameRecalled(body, entry, out var identity))
                return CallbackReply.RecallListUnusable;
            if (!TableKeys.Fit(identity))
                return CallbackReply.IdentifierTooLong;
        }
        return null;
    }
}
