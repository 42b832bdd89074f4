using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.Synchronizing.Handlers;

/// <summary>A sent message: its row (filling in one a later event made first) and its group's or topic's summary.</summary>
public sealed class AfterSendMsgHandler(IGroupMessageStore store, TencentChatOptions options) : ICallbackHandler
{
    public string Command => AfterSendMsg.Command;

    public async Task<SyncOutcome> HandleAsync(SyncedEvent synced, CancellationToken cancellationToken)
    {
        var record = GroupMessageMapper.Map(synced);
        var stored = await store.AddMessageAsync(record.Message, cancellationToken).ConfigureAwait(false)
            || await FillInAsync(record.Message, cancellationToken).ConfigureAwait(false);
        // A duplicate may be the retry of a run that stored the row and then died before the summary.
        await store.AdvanceSummaryAsync(record.Summary, cancellationToken).ConfigureAwait(false);
        return stored ? SyncOutcome.Stored : SyncOutcome.Duplicate;
    }

    /// <summary>The row was there: a redelivery (nothing to do), or a recall, extension or read receipt that came first.</summary>
    private async Task<bool> FillInAsync(Azure.Data.Tables.TableEntity sent, CancellationToken cancellationToken)
    {
        var erase = options.RecalledContent == RecalledContent.Erase;
        return await store.ChangeRowAsync(GroupTable.Messages, sent.PartitionKey, sent.RowKey,
            current => RowMerge.Send(current, sent, erase), [], cancellationToken).ConfigureAwait(false) is not null;
    }
}
