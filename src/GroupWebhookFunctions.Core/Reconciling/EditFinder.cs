using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;

namespace GroupWebhookFunctions.Reconciling;

/// <summary>
/// Edits (modify_group_msg, client edits) send no webhook: the only way to see one is to pull the message again and
/// compare. Pages back from the newest seq until messages are older than the window (past holes, whose placeholders
/// carry no time); one call per 20 messages and
/// one range read per page, plus a conditional write per edited message.
/// </summary>
public sealed class EditFinder(GroupHistory history, IGroupMessageStore store, TimeProvider clock)
{
    /// <summary>What <see cref="RowMerge.Edit"/> compares and looks at, so the usual unedited message costs no read of its own.</summary>
    private static readonly string[] ContentColumns =
    [
        .. Coverage.Columns, GroupMessageFields.MsgBody, GroupMessageFields.CloudCustomData, GroupMessageFields.MsgBody + LargeValues.BlobSuffix,
        GroupMessageColumns.Recalled,
    ];

    public async Task<(int Calls, int Checked, int Edited)> RecheckAsync(Conversation conversation, long latest, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var (calls, checkedCount, edited) = (0, 0, 0);
        var sinceSeconds = since.ToUnixTimeSeconds();
        long? upTo = latest;
        while (upTo is { } top && top >= 1)
        {
            var page = await history.PageAsync(conversation, top, GroupHistory.MaxPerCall, cancellationToken).ConfigureAwait(false);
            calls++;
            if (page.Messages.Count == 0)
                break;
            var lowest = page.Messages.Min(m => m.MsgSeq);
            var rows = new Dictionary<long, Azure.Data.Tables.TableEntity>();
            await foreach (var row in store.ReadRangeAsync(GroupTable.Messages, conversation.MessagePartition, TableKeys.SequenceRow(lowest - 1), TableKeys.SequenceRow(top),
                ContentColumns, cancellationToken).ConfigureAwait(false))
            {
                if (TableKeys.SequenceOf(row.RowKey) is { } seq)
                    rows[seq] = row;
            }

            var older = false;
            foreach (var message in page.Messages)
            {
                // A placeholder (IsPlaceMsg 1) carries MsgTimeStamp 0: it says nothing of where the window starts.
                if (message.MsgTime is > 0 and var sent && sent < sinceSeconds)
                {
                    older = true;
                    continue;
                }
                // A row a later event made holds no content to compare: the gap walk fills it in.
                if (message.Place != HistoryPlace.Message || message.MsgBody is null || !rows.TryGetValue(message.MsgSeq, out var stored) || !Coverage.Covers(stored))
                    continue;
                checkedCount++;
                // Most messages are never edited: compare here, and read-merge-write only what differs (or is offloaded).
                if (!stored.ContainsKey(GroupMessageFields.MsgBody + LargeValues.BlobSuffix)
                    && RowMerge.Edit(stored, message.MsgBody, message.CloudCustomData, 0) is null)
                    continue;
                var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
                if (await store.ChangeRowAsync(GroupTable.Messages, conversation.MessagePartition, stored.RowKey,
                        current => RowMerge.Edit(current, message.MsgBody, message.CloudCustomData, at),
                        [GroupMessageFields.MsgBody, GroupMessageFields.CloudCustomData], cancellationToken).ConfigureAwait(false) is not null)
                    edited++;
            }
            if (older)
                break;
            upTo = lowest - 1;
        }
        return (calls, checkedCount, edited);
    }
}
