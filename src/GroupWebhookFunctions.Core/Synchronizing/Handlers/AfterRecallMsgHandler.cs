using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.Synchronizing.Handlers;

/// <summary>Recalled messages are marked on their rows (and their content removed when the app keeps none).</summary>
public sealed class AfterRecallMsgHandler(IGroupMessageStore store, TencentChatOptions options) : ICallbackHandler
{
    public const string ExtraFieldsColumn = "RecallExtraFields";

    public string Command => AfterRecallMsg.Command;

    public async Task<SyncOutcome> HandleAsync(SyncedEvent synced, CancellationToken cancellationToken)
    {
        var body = synced.Body;
        var erase = options.RecalledContent == RecalledContent.Erase;
        var at = synced.EventTimeOr(AfterRecallMsg.EventTimeField);
        var by = body.Text(AfterRecallMsg.OperatorAccountField);
        var extra = GroupMessageMapper.RenderExtraFields(synced);
        var changed = false;
        foreach (var entry in body.Records(AfterRecallMsg.MsgSeqListField))
        {
            if (!AfterRecallMsg.TryNameRecalled(body, entry, out var identity))
                throw new UnprocessableEventException("A recall entry names no message.");
            var stub = new MessageStub(identity, body.Text(AfterRecallMsg.TypeField));
            var change = RowMerge.KeepingExtraFields(current => RowMerge.Recall(current, stub, at, by, erase), ExtraFieldsColumn, extra);
            changed |= await store.ChangeRowAsync(GroupTable.Messages, stub.PartitionKey, stub.RowKey, change, [], cancellationToken).ConfigureAwait(false) is not null;
        }
        return changed ? SyncOutcome.Stored : SyncOutcome.Duplicate;
    }
}
