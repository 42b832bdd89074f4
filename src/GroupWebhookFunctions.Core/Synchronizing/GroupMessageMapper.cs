using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.Synchronizing;

/// <summary>
/// Turns a judged event into row columns, from nothing but the receiver's own judgement of the body: nothing here can
/// refuse a body that judgement accepted. Pure: no storage, so it is tested and measured alone.
/// </summary>
public static class GroupMessageMapper
{
    /// <summary>A sent message's row and the position it offers its group's (or topic's) summary.</summary>
    public static GroupMessageRecord Map(SyncedEvent synced)
    {
        var body = synced.Body;
        if (AfterSendMsg.Identify(body, out var identity) != IdentityProblem.None)
            throw new UnprocessableEventException("The message cannot be identified.");
        var row = Row(TableKeys.MessagePartition(identity), TableKeys.MessageRow(identity), synced);
        var summary = new GroupSummary(
            TableKeys.SummaryPartition(identity),
            TableKeys.SummaryRow(identity),
            identity.GroupId,
            identity.TopicId,
            body.Text(AfterSendMsg.TypeField),
            body.Number(AfterSendMsg.MsgSeqField) ?? 0,
            body.Number(AfterSendMsg.MsgTimeField),
            body.Number(AfterSendMsg.EventTimeField),
            identity.FromAccount,
            identity.MsgId);
        return new GroupMessageRecord(identity, row, summary);
    }

    /// <summary>
    /// A row of the event's own: every documented string and integer under Tencent's name, MsgBody as sent with its
    /// browsing text, the fields no version names in ExtraFields, and what only the callback URL carried.
    /// </summary>
    public static TableEntity Row(string partitionKey, string rowKey, SyncedEvent synced)
    {
        var row = new TableEntity(partitionKey, rowKey);
        Set(row, GroupMessageColumns.SdkAppId, synced.Envelope.SdkAppId);
        foreach (var field in synced.Callback.Schema.Fields)
        {
            if (field == synced.Callback.CommandField)
                continue;
            switch (field.Kind)
            {
                case FieldKind.Text:
                    Set(row, field.Name, synced.Body.Text(field));
                    break;
                case FieldKind.WholeNumber when synced.Body.Number(field) is { } number:
                    row[field.Name] = number;
                    break;
                case FieldKind.Elements when synced.Body.Raw(field) is { } raw:
                    row[field.Name] = Encoding.UTF8.GetString(synced.Json[raw]);
                    Set(row, GroupMessageColumns.Text, RenderText(ReadElements(synced.Json[raw])));
                    break;
            }
        }
        Set(row, GroupMessageColumns.ClientIp, synced.Envelope.ClientIp);
        Set(row, GroupMessageColumns.OptPlatform, synced.Envelope.OptPlatform);
        if (synced.Envelope.ReceivedAt is { } receivedAt)
            row[GroupMessageColumns.ReceivedAt] = receivedAt;
        Set(row, GroupMessageColumns.ExtraFields, RenderExtraFields(synced));
        return row;
    }

    /// <summary>The typed elements, for the browsing text only: MsgBody as sent is the record, so a failure here costs only Text.</summary>
    public static IList<MessageElement>? ReadElements(ReadOnlySpan<byte> msgBody)
    {
        try
        {
            return JsonSerializer.Deserialize(msgBody, TencentChatJsonContext.Default.ListMessageElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? RenderText(IList<MessageElement>? elements)
    {
        if (elements is null)
            return null;
        StringBuilder? text = null;
        foreach (var element in elements)
        {
            if (element?.MsgContent is not TextContent { Text: { } part })
                continue;
            text ??= new StringBuilder();
            var room = GroupMessageColumns.MaxTextLength - text.Length;
            if (part.Length < room)
            {
                text.Append(part);
                continue;
            }
            // Room for the ellipsis, and never half of a surrogate pair before it.
            var kept = room - 1;
            if (kept > 0 && char.IsHighSurrogate(part[kept - 1]))
                kept--;
            return text.Append(part, 0, kept).Append('…').ToString();
        }
        return text?.ToString();
    }

    /// <summary>Each unknown field's value exactly as sent, so nothing Tencent adds is lost or re-encoded.</summary>
    public static string? RenderExtraFields(SyncedEvent synced)
    {
        if (synced.Body.UnknownFields is not { Count: > 0 } extra)
            return null;
        return JsonObject.WriteText(writer =>
        {
            foreach (var (name, value) in extra)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(synced.Json[value], skipInputValidation: true);
            }
        });
    }

    public static void Set(TableEntity row, string name, string? value)
    {
        if (value is not null)
            row[name] = value;
    }
}
