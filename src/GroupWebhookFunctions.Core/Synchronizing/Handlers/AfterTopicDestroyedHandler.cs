using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.Synchronizing.Handlers;

/// <summary>Deleted topics: each topic's summary row says so. Tencent sends no EventTime here, so the receive time stands in.</summary>
public sealed class AfterTopicDestroyedHandler(IGroupMessageStore store) : ICallbackHandler
{
    public const string ExtraFieldsColumn = "DeletionExtraFields";

    public string Command => AfterTopicDestroyed.Command;

    public async Task<SyncOutcome> HandleAsync(SyncedEvent synced, CancellationToken cancellationToken)
    {
        var body = synced.Body;
        var groupId = body.Text(AfterTopicDestroyed.GroupIdField)!;
        var at = synced.EventTimeOr(AfterTopicDestroyed.EventTimeField);
        var by = body.Text(AfterTopicDestroyed.OperatorAccountField);
        var extra = GroupMessageMapper.RenderExtraFields(synced);
        var changed = false;
        foreach (var topicId in body.Texts(AfterTopicDestroyed.TopicIdListField).Distinct(StringComparer.Ordinal))
        {
            var values = new Dictionary<string, object> { [GroupMessageFields.GroupId] = groupId, [GroupMessageFields.TopicId] = topicId };
            if (body.Text(AfterTopicDestroyed.TypeField) is { } type)
                values[GroupMessageFields.Type] = type;
            if (by is not null)
                values[GroupMessageFields.OperatorAccount] = by;
            var (partitionKey, rowKey) = (TableKeys.SummaryPartition(groupId), TableKeys.SummaryRow(topicId));
            var change = RowMerge.KeepingExtraFields(
                current => RowMerge.End(current, partitionKey, rowKey, GroupMessageColumns.Deleted, GroupMessageColumns.DeletedAt, at, null, null, values),
                ExtraFieldsColumn, extra);
            changed |= await store.ChangeRowAsync(GroupTable.Summaries, partitionKey, rowKey, change, [], cancellationToken).ConfigureAwait(false) is not null;
        }
        return changed ? SyncOutcome.Stored : SyncOutcome.Duplicate;
    }
}
