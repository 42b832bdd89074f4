using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.Synchronizing.Handlers;

/// <summary>Read counts on each message's row, and one row per reader in GroupMessageReaders.</summary>
public sealed class AfterReadReceiptHandler(IGroupMessageStore store) : ICallbackHandler
{
    public const string ExtraFieldsColumn = "ReadReceiptExtraFields";

    public string Command => AfterReadReceipt.Command;

    public async Task<SyncOutcome> HandleAsync(SyncedEvent synced, CancellationToken cancellationToken)
    {
        var body = synced.Body;
        var extra = GroupMessageMapper.RenderExtraFields(synced);
        var changed = false;
        foreach (var entry in body.Records(AfterReadReceipt.ReceiptListField))
        {
            if (!AfterReadReceipt.TryNameMessage(body, entry, out var identity))
                throw new UnprocessableEventException("A read receipt entry names no message.");
            var stub = new MessageStub(identity, body.Text(AfterReadReceipt.TypeField));
            var (read, unread) = (entry.Number(AfterReadReceipt.EntryReadNum), entry.Number(AfterReadReceipt.EntryUnreadNum));
            var change = RowMerge.KeepingExtraFields(current => RowMerge.CountReads(current, stub, read, unread), ExtraFieldsColumn, extra);
            changed |= await store.ChangeRowAsync(GroupTable.Messages, stub.PartitionKey, stub.RowKey, change, [], cancellationToken).ConfigureAwait(false) is not null;

            // One transaction may not hold one row twice: a reader named twice is one reader.
            var readers = entry.Records(AfterReadReceipt.EntryReaders).Select(reader => Reader(identity, reader.Text(AfterReadReceipt.ReaderAccount)!))
                .DistinctBy(row => row.RowKey, StringComparer.Ordinal).ToList();
            if (readers.Count > 0)
            {
                await store.UpsertRowsAsync(GroupTable.Readers, readers, cancellationToken).ConfigureAwait(false);
                changed = true;
            }
        }
        return changed ? SyncOutcome.Stored : SyncOutcome.Duplicate;
    }

    /// <summary>A reader's row holds only what identifies it, so writing it again changes nothing.</summary>
    private static TableEntity Reader(MessageIdentity identity, string member)
    {
        var row = new TableEntity(TableKeys.MessagePartition(identity), TableKeys.ReaderRow(identity, member))
        {
            [GroupMessageFields.GroupId] = identity.GroupId,
            [GroupMessageFields.MsgSeq] = identity.MsgSeq,
            [GroupMessageFields.MemberAccount] = member,
        };
        GroupMessageMapper.Set(row, GroupMessageFields.TopicId, identity.TopicId);
        return row;
    }
}
