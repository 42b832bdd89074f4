using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.Synchronizing.Handlers;

/// <summary>A send Tencent could not deliver: one row in GroupMessageFailures, with the ErrorCode in words.</summary>
public sealed class SendMsgExceptionHandler(IGroupMessageStore store) : ICallbackHandler
{
    public string Command => SendMsgException.Command;

    public async Task<SyncOutcome> HandleAsync(SyncedEvent synced, CancellationToken cancellationToken)
    {
        var body = synced.Body;
        var topicId = body.Text(SendMsgException.TopicIdField);
        var errorCode = body.Number(SendMsgException.ErrorCodeField)!.Value;
        var row = GroupMessageMapper.Row(
            TableKeys.ConversationPartition(body.Text(SendMsgException.GroupIdField)!, topicId),
            TableKeys.FailureRow(body.Number(SendMsgException.EventTimeField) ?? 0, body.Text(SendMsgException.FromAccountField),
                body.Number(SendMsgException.RandomField), errorCode, topicId),
            synced);
        row[GroupMessageColumns.ErrorMeaning] = GroupErrorCodes.Describe(errorCode);
        return await store.AddRowAsync(GroupTable.Failures, row, cancellationToken).ConfigureAwait(false) ? SyncOutcome.Stored : SyncOutcome.Duplicate;
    }
}
