using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.Storage;
using F = GroupWebhookFunctions.TencentChat.GroupMessageFields;

namespace GroupWebhookFunctions.TencentChat.Callbacks;

/// <summary>Group.CallbackAfterTopicDestroyed: topics of a community were deleted. Their messages stay; their summaries say so.</summary>
public static class AfterTopicDestroyed
{
    public const string Command = "Group.CallbackAfterTopicDestroyed";

    public static readonly FieldRule GroupIdField = new(F.GroupId, FieldKind.Text, identifies: true);
    public static readonly FieldRule TypeField = new(F.Type, FieldKind.Text, identifies: true);
    public static readonly FieldRule TopicIdListField = new(F.TopicIdList, FieldKind.TextList, identifies: true);

    // Not in Tencent's sample; accepted should they come along.
    public static readonly FieldRule EventTimeField = new(F.EventTime, FieldKind.WholeNumber);
    public static readonly FieldRule OperatorAccountField = new(F.OperatorAccount, FieldKind.Text);

    public static readonly HandledCallback Callback = new(
        Command,
        HandledCallback.NewCommandField(),
        [GroupIdField, TypeField, TopicIdListField, EventTimeField, OperatorAccountField],
        Check,
        body => new EventSubject(body.Text(GroupIdField), body.Texts(TopicIdListField) is [var first, ..] ? first : null, 0, null));

    private static CallbackReply? Check(JudgedBody body)
    {
        var groupId = body.Text(GroupIdField);
        if (string.IsNullOrEmpty(groupId))
            return CallbackReply.GroupIdMissing;
        var topics = body.Texts(TopicIdListField);
        if (topics.Count == 0)
            return CallbackReply.TopicListUnusable;
        foreach (var topic in topics)
        {
            if (string.IsNullOrEmpty(topic))
                return CallbackReply.TopicListUnusable;
            if (!TableKeys.ConversationFits(groupId, topic))
                return CallbackReply.IdentifierTooLong;
        }
        return null;
    }
}
