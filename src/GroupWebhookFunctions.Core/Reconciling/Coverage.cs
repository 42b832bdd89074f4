using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Reconciling;

/// <summary>
/// Whether the store holds a seq: its row holds the message's send (<c>ReceivedAt</c>), its history
/// (<c>BackfilledAt</c>) or Tencent's word that there is no message (<c>Absent</c>). A row that a recall, an extension
/// or a read receipt made before the send came holds only the message's identity: its seq is still missing. The one
/// rule for the gap walk, the watermark and the edit recheck.
/// </summary>
public static class Coverage
{
    /// <summary>What <see cref="Of"/> reads: a range query selects only these.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["RowKey", GroupMessageFields.MsgTime, GroupMessageColumns.ReceivedAt, GroupMessageColumns.BackfilledAt, GroupMessageColumns.Absent];

    public static bool Covers(TableEntity row) =>
        row.GetDateTimeOffset(GroupMessageColumns.ReceivedAt) is not null
        || row.GetDateTimeOffset(GroupMessageColumns.BackfilledAt) is not null
        || row.GetBoolean(GroupMessageColumns.Absent) == true;

    /// <summary>The seq a row covers, with its MsgTime; null for a row keyed otherwise, or one that covers nothing yet.</summary>
    public static StoredSeq? Of(TableEntity row) =>
        TableKeys.SequenceOf(row.RowKey) is { } seq && Covers(row) ? new StoredSeq(seq, row.GetInt64(GroupMessageFields.MsgTime)) : null;
}
