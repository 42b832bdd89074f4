using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Synchronizing;

/// <summary>Turns an envelope into the rows it writes. Pure: no storage, so it is tested and measured alone.</summary>
public static class GroupMessageMapper
{
    /// <exception cref="UnprocessableEventException">The envelope cannot become a row, however often it is tried.</exception>
    public static GroupMessageRecord Map(EventEnvelope envelope)
    {
        if (envelope.Body is not { ValueKind: JsonValueKind.Object } body)
            throw new UnprocessableEventException("The envelope carries no JSON object as its Body.");

        GroupMessageSent message;
        try
        {
            message = body.Deserialize(TencentChatJsonContext.Default.GroupMessageSent)
                ?? throw new UnprocessableEventException("The body is null.");
        }
        catch (JsonException ex)
        {
            throw new UnprocessableEventException($"The body does not match Group.CallbackAfterSendMsg: {ex.Message}", ex);
        }

        var problem = message.TryIdentify(out var identity);
        if (problem != IdentityProblem.None)
            throw new UnprocessableEventException($"The message cannot be identified: {problem}.");
        if (!TableKeys.Fit(identity))
            throw new UnprocessableEventException("GroupId, TopicId or MsgId is too long for a table key.");

        var entity = new TableEntity(TableKeys.MessagePartition(identity), TableKeys.MessageRow(identity));
        Set(entity, GroupMessageColumns.SdkAppId, envelope.SdkAppId);
        Set(entity, GroupMessageFields.GroupId, message.GroupId);
        Set(entity, GroupMessageFields.TopicId, message.TopicId);
        Set(entity, GroupMessageFields.Type, message.Type);
        Set(entity, GroupMessageFields.FromAccount, message.FromAccount);
        Set(entity, GroupMessageFields.OperatorAccount, message.OperatorAccount);
        Set(entity, GroupMessageFields.MsgSeq, message.MsgSeq);
        Set(entity, GroupMessageFields.Random, message.Random);
        Set(entity, GroupMessageFields.MsgTime, message.MsgTime);
        Set(entity, GroupMessageFields.OnlineOnlyFlag, message.OnlineOnlyFlag);
        Set(entity, GroupMessageFields.MsgId, message.MsgId);
        Set(entity, GroupMessageFields.MsgBody, body.TryGetProperty(GroupMessageFields.MsgBody, out var elements) && elements.ValueKind == JsonValueKind.Array ? elements.GetRawText() : null);
        Set(entity, GroupMessageFields.CloudCustomData, message.CloudCustomData);
        Set(entity, GroupMessageFields.EventTime, message.EventTime);
        Set(entity, GroupMessageColumns.ClientIp, envelope.ClientIp);
        Set(entity, GroupMessageColumns.OptPlatform, envelope.OptPlatform);
        if (envelope.ReceivedAt is { } receivedAt)
            entity[GroupMessageColumns.ReceivedAt] = receivedAt;
        Set(entity, GroupMessageColumns.Text, RenderText(message.MsgBody));
        Set(entity, GroupMessageColumns.ExtraFields, RenderExtraFields(message.ExtensionData));

        var summary = new GroupSummary(
            TableKeys.SummaryPartition(identity),
            TableKeys.SummaryRow(identity),
            identity.GroupId,
            identity.TopicId,
            message.Type,
            message.MsgSeq ?? 0,
            message.MsgTime ?? 0,
            message.EventTime ?? 0,
            message.FromAccount,
            message.MsgId);
        return new GroupMessageRecord(identity, entity, summary);
    }

    public static string? RenderText(IList<MessageElement>? elements)
    {
        if (elements is null)
            return null;
        StringBuilder? text = null;
        foreach (var element in elements)
        {
            if (element.MsgContent is not TextContent { Text: { } part })
                continue;
            text ??= new StringBuilder();
            var room = GroupMessageColumns.MaxTextLength - text.Length;
            if (part.Length < room)
            {
                text.Append(part);
                continue;
            }
            return text.Append(part, 0, room - 1).Append('…').ToString();
        }
        return text?.ToString();
    }

    private static string? RenderExtraFields(IDictionary<string, JsonElement>? extra)
    {
        if (extra is null || extra.Count == 0)
            return null;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in extra)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Set(TableEntity entity, string name, string? value)
    {
        if (value is not null)
            entity[name] = value;
    }

    private static void Set(TableEntity entity, string name, long? value)
    {
        if (value is not null)
            entity[name] = value.Value;
    }
}
