using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.Synchronizing.Handlers;

/// <summary>A message's extension keys, applied per key by version onto the message's row.</summary>
public sealed class AfterGroupMsgExtensionHandler(IGroupMessageStore store) : ICallbackHandler
{
    public const string ExtraFieldsColumn = "ExtensionExtraFields";

    private static readonly string[] StateColumns = [GroupMessageColumns.Extensions, GroupMessageColumns.ExtensionDeletions];

    public string Command => AfterGroupMsgExtension.Command;

    public async Task<SyncOutcome> HandleAsync(SyncedEvent synced, CancellationToken cancellationToken)
    {
        var body = synced.Body;
        if (!AfterGroupMsgExtension.TryNameMessage(body, out var identity))
            throw new UnprocessableEventException("The extension event names no message.");
        var seq = body.Number(AfterGroupMsgExtension.SeqField)!.Value;
        var entries = body.Records(AfterGroupMsgExtension.ExtensionListField)
            .Select(entry => new ExtensionEntry(entry.Text(AfterGroupMsgExtension.EntryKey) ?? "", entry.Text(AfterGroupMsgExtension.EntryValue), entry.Number(AfterGroupMsgExtension.EntrySeq) ?? seq))
            .ToList();
        var operateType = body.Number(AfterGroupMsgExtension.OperateTypeField)!.Value;
        var stub = new MessageStub(identity, body.Text(AfterGroupMsgExtension.TypeField));
        var change = RowMerge.KeepingExtraFields(current => RowMerge.Extend(current, stub, operateType, entries, seq), ExtraFieldsColumn, GroupMessageMapper.RenderExtraFields(synced));
        var written = await store.ChangeRowAsync(GroupTable.Messages, stub.PartitionKey, stub.RowKey, change, StateColumns, cancellationToken).ConfigureAwait(false);
        return written is null ? SyncOutcome.Duplicate : SyncOutcome.Stored;
    }
}
