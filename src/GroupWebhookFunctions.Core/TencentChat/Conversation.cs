using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.TencentChat;

/// <summary>A group, or one topic of a community: the unit Tencent numbers messages in (MsgSeq) and keeps history for.</summary>
public sealed record Conversation(string GroupId, string? TopicId)
{
    public string MessagePartition => TableKeys.ConversationPartition(GroupId, TopicId);

    public string SummaryPartition => TableKeys.SummaryPartition(GroupId);

    public string SummaryRow => TableKeys.SummaryRow(TopicId);

    public override string ToString() => TopicId is null ? GroupId : GroupId + "/" + TopicId;
}
