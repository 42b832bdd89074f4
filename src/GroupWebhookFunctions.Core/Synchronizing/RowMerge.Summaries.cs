using Azure.Data.Tables;
using GroupWebhookFunctions.TencentChat;
using static GroupWebhookFunctions.Synchronizing.GroupMessageColumns;

namespace GroupWebhookFunctions.Synchronizing;

/// <summary>How a group's or topic's summary row absorbs its latest message, its end, and what reconciliation found.</summary>
public static partial class RowMerge
{
    /// <summary>
    /// The columns of a summary that describe its latest message. Each holds that message's value or is absent where
    /// the message's source does not say (history carries no MsgId or EventTime; a placeholder no MsgTime), so no
    /// column is ever left from the message before. <c>Type</c> is not among them: it is the group's type, which does
    /// not change from one message to the next, so a message that does not say it keeps the one stored.
    /// </summary>
    public static readonly string[] LatestMessageColumns =
        [GroupMessageFields.MsgSeq, GroupMessageFields.MsgTime, GroupMessageFields.EventTime, GroupMessageFields.FromAccount, GroupMessageFields.MsgId];

    /// <summary>What a summary says of <paramref name="latest"/>, as written over a row that holds no latest-message column the message lacks.</summary>
    public static TableEntity SummaryColumns(GroupSummary latest, DateTimeOffset updatedAt)
    {
        var row = new TableEntity(latest.PartitionKey, latest.RowKey)
        {
            [GroupMessageFields.GroupId] = latest.GroupId,
            [GroupMessageFields.MsgSeq] = latest.MsgSeq,
            [UpdatedAt] = updatedAt,
        };
        Set(row, GroupMessageFields.TopicId, latest.TopicId);
        Set(row, GroupMessageFields.Type, latest.Type);
        Set(row, GroupMessageFields.FromAccount, latest.FromAccount);
        Set(row, GroupMessageFields.MsgId, latest.MsgId);
        if (latest.MsgTime is { } msgTime)
            row[GroupMessageFields.MsgTime] = msgTime;
        if (latest.EventTime is { } eventTime)
            row[GroupMessageFields.EventTime] = eventTime;
        return row;
    }

    /// <summary>
    /// A summary moved to <paramref name="latest"/> unless it already shows that message or a later one: the
    /// latest-message columns become the message's, all else (Type, an end, reconciliation) stays.
    /// </summary>
    public static TableEntity? AdvanceSummary(TableEntity? current, GroupSummary latest, DateTimeOffset updatedAt)
    {
        if (current is not null && !latest.IsLaterThan(current.GetInt64(GroupMessageFields.MsgSeq) ?? 0, current.GetInt64(GroupMessageFields.MsgTime) ?? 0,
                current.GetInt64(GroupMessageFields.EventTime) ?? 0))
            return null;
        var row = current is null ? new TableEntity(latest.PartitionKey, latest.RowKey) : Copy(current);
        foreach (var column in LatestMessageColumns)
            row.Remove(column);
        foreach (var (name, value) in SummaryColumns(latest, updatedAt))
        {
            if (!IsSystem(name))
                row[name] = value;
        }
        return row;
    }

    /// <summary>
    /// What a reconciliation found for a group or topic: the watermark only rises, the counts add up, and the tail
    /// check remembers the latest seq it covered.
    /// </summary>
    public static TableEntity? Reconciled(TableEntity? current, long completeThroughSeq, DateTimeOffset at, int backfilled, int absent, long? tailCheckedThroughSeq)
    {
        if (current is null)
            return null;
        var row = Copy(current);
        row[CompleteThroughSeq] = Math.Max(completeThroughSeq, current.GetInt64(CompleteThroughSeq) ?? long.MinValue);
        row[LastReconciledAt] = at;
        row[BackfilledCount] = (current.GetInt64(BackfilledCount) ?? 0) + backfilled;
        row[AbsentCount] = (current.GetInt64(AbsentCount) ?? 0) + absent;
        if (tailCheckedThroughSeq is { } tail)
            row[TailCheckedThroughSeq] = Math.Max(tail, current.GetInt64(TailCheckedThroughSeq) ?? 0);
        return row;
    }

    /// <summary>
    /// Marks a group's or topic's summary as ended: <paramref name="flag"/> true, and the earliest time (with who
    /// ended it) in <paramref name="atColumn"/>; other values fill in what the row lacks. Never touches the
    /// latest-message columns, so an end never moves a summary.
    /// </summary>
    public static TableEntity? End(TableEntity? current, string partitionKey, string rowKey, string flag, string atColumn, long at, string? byColumn, string? by,
        IReadOnlyDictionary<string, object> values)
    {
        var row = current is null ? new TableEntity(partitionKey, rowKey) : Copy(current);
        if (row.GetBoolean(flag) != true || row.GetInt64(atColumn) is not { } storedAt || IsEarlier(at, by, storedAt, byColumn is null ? null : row.GetString(byColumn)))
        {
            row[flag] = true;
            row[atColumn] = at;
            if (byColumn is not null)
                Set(row, byColumn, by);
        }
        foreach (var (name, value) in values)
        {
            if (!row.ContainsKey(name))
                row[name] = value;
        }
        return Changed(current, row);
    }
}
