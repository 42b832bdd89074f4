using Azure.Data.Tables;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Synchronizing;

/// <summary>What one event becomes: its row in GroupMessages and the position it offers to GroupSummaries.</summary>
public sealed record GroupMessageRecord(MessageIdentity Identity, TableEntity Message, GroupSummary Summary);

/// <summary>The latest message of a group or topic; a later message replaces it, an earlier one never does.</summary>
public sealed record GroupSummary(
    string PartitionKey,
    string RowKey,
    string GroupId,
    string? TopicId,
    string? Type,
    long MsgSeq,
    long MsgTime,
    long EventTime,
    string? FromAccount,
    string? MsgId)
{
    /// <summary>MsgSeq orders a group's messages; MsgTime and EventTime break ties where MsgSeq is not kept (AVChatRoom).</summary>
    public bool IsLaterThan(long msgSeq, long msgTime, long eventTime) =>
        (MsgSeq, MsgTime, EventTime).CompareTo((msgSeq, msgTime, eventTime)) > 0;
}
