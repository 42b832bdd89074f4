using Azure.Data.Tables;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Synchronizing;

/// <summary>What one event becomes: its row in GroupMessages and the position it offers to GroupSummaries.</summary>
public sealed record GroupMessageRecord(MessageIdentity Identity, TableEntity Message, GroupSummary Summary);

/// <summary>
/// The latest message of a group or topic; a later message replaces it, an earlier one never does. Null where the
/// message's source does not say (<see cref="RowMerge.AdvanceSummary"/>).
/// </summary>
public sealed record GroupSummary(
    string PartitionKey,
    string RowKey,
    string GroupId,
    string? TopicId,
    string? Type,
    long MsgSeq,
    long? MsgTime,
    long? EventTime,
    string? FromAccount,
    string? MsgId)
{
    /// <summary>
    /// MsgSeq orders a group's messages; MsgTime and EventTime break ties where MsgSeq is not kept (AVChatRoom), and
    /// let a webhook's fuller account of a message replace history's (an unknown time counts as 0).
    /// </summary>
    public bool IsLaterThan(long msgSeq, long msgTime, long eventTime) =>
        (MsgSeq, MsgTime ?? 0, EventTime ?? 0).CompareTo((msgSeq, msgTime, eventTime)) > 0;
}
