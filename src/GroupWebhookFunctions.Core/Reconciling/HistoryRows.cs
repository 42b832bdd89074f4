using System.Text;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;
using F = GroupWebhookFunctions.TencentChat.GroupMessageFields;

namespace GroupWebhookFunctions.Reconciling;

/// <summary>
/// A history entry as the row its send webhook would have made: the same keys, Tencent's field names where the two
/// carry the same fact (MsgTimeStamp is MsgTime, MsgRandom is Random), plus BackfilledAt. What only a webhook carries
/// (MsgId, CloudCustomData, Type, OnlineOnlyFlag) stays empty for a later webhook to fill in. Pure.
/// </summary>
public static class HistoryRows
{
    public static TableEntity Row(Conversation conversation, HistoryMessage message, DateTimeOffset backfilledAt)
    {
        var row = new TableEntity(conversation.MessagePartition, TableKeys.SequenceRow(message.MsgSeq))
        {
            [F.GroupId] = conversation.GroupId,
            [F.MsgSeq] = message.MsgSeq,
            [GroupMessageColumns.BackfilledAt] = backfilledAt,
        };
        GroupMessageMapper.Set(row, F.TopicId, conversation.TopicId);
        GroupMessageMapper.Set(row, F.FromAccount, message.FromAccount);
        SetNumber(row, F.Random, message.Random);
        SetNumber(row, F.MsgTime, message.MsgTime);
        SetNumber(row, GroupMessageColumns.MsgPriority, message.MsgPriority);
        if (message.IsSystemMsg)
            row[GroupMessageColumns.IsSystemMsg] = true;
        if (message.MsgBody is { } body)
        {
            row[F.MsgBody] = body;
            GroupMessageMapper.Set(row, GroupMessageColumns.Text, GroupMessageMapper.RenderText(GroupMessageMapper.ReadElements(Encoding.UTF8.GetBytes(body))));
        }
        GroupMessageMapper.Set(row, F.CloudCustomData, message.CloudCustomData);
        GroupMessageMapper.Set(row, GroupMessageColumns.HistoryExtraFields, message.ExtraFields);
        switch (message.Place)
        {
            case HistoryPlace.Recalled:
                row[GroupMessageColumns.Recalled] = true;
                break;
            case HistoryPlace.Absent:
                row[GroupMessageColumns.Absent] = true;
                break;
        }
        return row;
    }

    /// <summary>A seq inside a pulled range that Tencent did not return at all: as closed as a hole it reports.</summary>
    public static TableEntity AbsentRow(Conversation conversation, long msgSeq, DateTimeOffset backfilledAt) =>
        Row(conversation, new HistoryMessage(msgSeq, HistoryPlace.Absent, null, null, null, null, false, null, null, null), backfilledAt);

    /// <summary>
    /// The position the newest pulled entry offers its group's (or topic's) summary: what history cannot say (MsgId,
    /// EventTime, the group's Type) is left unknown, as is a placeholder's time (MsgTimeStamp 0) and sender ("").
    /// </summary>
    public static GroupSummary Summary(Conversation conversation, HistoryMessage newest) => new(
        conversation.SummaryPartition,
        conversation.SummaryRow,
        conversation.GroupId,
        conversation.TopicId,
        null,
        newest.MsgSeq,
        newest.MsgTime is > 0 ? newest.MsgTime : null,
        null,
        string.IsNullOrEmpty(newest.FromAccount) ? null : newest.FromAccount,
        null);

    private static void SetNumber(TableEntity row, string column, long? value)
    {
        if (value is { } number)
            row[column] = number;
    }
}
