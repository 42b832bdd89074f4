using System.Text;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.Synchronizing.Handlers;

/// <summary>A disbanded group: its summary row says so, with its last owner, name and members. Its messages stay.</summary>
public sealed class AfterGroupDestroyedHandler(IGroupMessageStore store) : ICallbackHandler
{
    public const string ExtraFieldsColumn = "DisbandExtraFields";

    private static readonly string[] LargeColumns = [GroupMessageFields.MemberList];

    public string Command => AfterGroupDestroyed.Command;

    public async Task<SyncOutcome> HandleAsync(SyncedEvent synced, CancellationToken cancellationToken)
    {
        var body = synced.Body;
        var groupId = body.Text(AfterGroupDestroyed.GroupIdField)!;
        var values = new Dictionary<string, object> { [GroupMessageFields.GroupId] = groupId };
        Add(values, GroupMessageFields.Type, body.Text(AfterGroupDestroyed.TypeField));
        Add(values, GroupMessageFields.OwnerAccount, body.Text(AfterGroupDestroyed.OwnerAccountField));
        Add(values, GroupMessageFields.Name, body.Text(AfterGroupDestroyed.NameField));
        if (body.Raw(AfterGroupDestroyed.MemberListField) is { } members)
            values[GroupMessageFields.MemberList] = Encoding.UTF8.GetString(synced.Json[members]);
        Add(values, ExtraFieldsColumn, GroupMessageMapper.RenderExtraFields(synced));

        var (partitionKey, rowKey) = (TableKeys.SummaryPartition(groupId), TableKeys.SummaryRow((string?)null));
        var at = synced.EventTimeOr(AfterGroupDestroyed.EventTimeField);
        var by = body.Text(AfterGroupDestroyed.OperatorAccountField);
        var written = await store.ChangeRowAsync(GroupTable.Summaries, partitionKey, rowKey,
            current => RowMerge.End(current, partitionKey, rowKey, GroupMessageColumns.Disbanded, GroupMessageColumns.DisbandedAt, at, GroupMessageColumns.DisbandedBy, by, values),
            LargeColumns, cancellationToken).ConfigureAwait(false);
        return written is null ? SyncOutcome.Duplicate : SyncOutcome.Stored;
    }

    private static void Add(Dictionary<string, object> values, string column, string? value)
    {
        if (value is not null)
            values[column] = value;
    }
}
