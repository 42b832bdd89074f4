using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Reconciling.Discovery;

/// <summary>
/// The GroupSummaries row discovery writes for a conversation the store lacks. Its watermark (<c>CompleteThroughSeq</c>)
/// is the newest seq sent before reconciliation started, so a pass pulls only what came after; it has no latest
/// message until the first one is pulled. An AVChatRoom has no history: its row has no watermark and is never pulled.
/// </summary>
public static class DiscoveredRow
{
    public static TableEntity Of(Conversation conversation, string? type, long? completeThroughSeq, bool topicsEnabled, DateTimeOffset at)
    {
        var row = new TableEntity(conversation.SummaryPartition, conversation.SummaryRow)
        {
            [GroupMessageFields.GroupId] = conversation.GroupId,
            [DiscoveredColumns.DiscoveredAt] = at,
        };
        if (conversation.TopicId is not null)
            row[GroupMessageFields.TopicId] = conversation.TopicId;
        if (type is not null)
            row[GroupMessageFields.Type] = type;
        if (completeThroughSeq is { } watermark && !topicsEnabled && !HasNoHistory(type))
            row[GroupMessageColumns.CompleteThroughSeq] = watermark;
        if (topicsEnabled)
            row[DiscoveredColumns.TopicsEnabled] = true;
        return row;
    }

    public static bool HasNoHistory(string? type) => string.Equals(type, MessageIdentity.AudioVideoGroupType, StringComparison.OrdinalIgnoreCase);

    public static bool IsCommunity(string? type) => string.Equals(type, "Community", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the store has a row of any topic of <paramref name="groupId"/>: one range query for one key.</summary>
    public static async Task<bool> HasTopicRowAsync(IGroupMessageStore store, string groupId, CancellationToken cancellationToken)
    {
        await foreach (var _ in store.ReadRangeAsync(GroupTable.Summaries, TableKeys.SummaryPartition(groupId), TableKeys.SummaryRow(null), char.MaxValue.ToString(),
            ["RowKey"], cancellationToken, pageSize: 1).ConfigureAwait(false))
            return true;
        return false;
    }

    /// <summary>Whether the store has the row of <paramref name="conversation"/>: one point read.</summary>
    public static async Task<TableEntity?> StoredAsync(IGroupMessageStore store, Conversation conversation, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadRowAsync(GroupTable.Summaries, conversation.SummaryPartition, conversation.SummaryRow, cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet: no row either.
            return null;
        }
    }
}
