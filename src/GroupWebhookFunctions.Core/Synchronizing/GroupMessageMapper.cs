using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Synchronizing;

/// <summary>
/// Turns an envelope into the rows it writes, from the receiver's own judgement of the body: nothing here can refuse
/// a body that judgement accepted. Pure: no storage, so it is tested and measured alone.
/// </summary>
public static class GroupMessageMapper
{
    /// <exception cref="UnprocessableEventException">The envelope cannot become a row, however often it is tried.</exception>
    public static GroupMessageRecord Map(EventEnvelope envelope)
    {
        if (envelope.Body is not { ValueKind: JsonValueKind.Object } body)
            throw new UnprocessableEventException("The envelope carries no JSON object as its Body.");

        // The body's bytes exactly as the receiver judged them: the envelope embeds them raw.
        var json = JsonMarshal.GetRawUtf8Value(body);
        var judgement = CallbackJudge.Judge(json, envelope.CallbackCommand, keepEveryField: true);
        if (judgement.Verdict != Verdict.Accepted)
            throw new UnprocessableEventException(judgement.Refusal?.ErrorInfo ?? "The envelope's CallbackCommand is not one this app stores.");

        var fields = judgement.Body!;
        var identity = judgement.Identity;
        var entity = new TableEntity(TableKeys.MessagePartition(identity), TableKeys.MessageRow(identity));
        Set(entity, GroupMessageColumns.SdkAppId, envelope.SdkAppId);
        foreach (var (name, field, kind) in GroupMessageFields.All)
        {
            if (field == GroupMessageField.CallbackCommand)
                continue;
            if (kind == FieldKind.WholeNumber)
                Set(entity, name, fields.Number(field));
            else if (kind == FieldKind.Text)
                Set(entity, name, fields.Text(field));
            else if (fields.Raw(field) is { } raw)
                entity[name] = Encoding.UTF8.GetString(json[raw]);
        }
        Set(entity, GroupMessageColumns.ClientIp, envelope.ClientIp);
        Set(entity, GroupMessageColumns.OptPlatform, envelope.OptPlatform);
        if (envelope.ReceivedAt is { } receivedAt)
            entity[GroupMessageColumns.ReceivedAt] = receivedAt;
        if (fields.Raw(GroupMessageField.MsgBody) is { } elements)
            Set(entity, GroupMessageColumns.Text, RenderText(ReadElements(json[elements])));
        Set(entity, GroupMessageColumns.ExtraFields, RenderExtraFields(json, fields.UnknownFields));

        var summary = new GroupSummary(
            TableKeys.SummaryPartition(identity),
            TableKeys.SummaryRow(identity),
            identity.GroupId,
            identity.TopicId,
            fields.Text(GroupMessageField.Type),
            fields.Number(GroupMessageField.MsgSeq) ?? 0,
            fields.Number(GroupMessageField.MsgTime) ?? 0,
            fields.Number(GroupMessageField.EventTime) ?? 0,
            identity.FromAccount,
            identity.MsgId);
        return new GroupMessageRecord(identity, entity, summary);
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
    private static string? RenderExtraFields(ReadOnlySpan<byte> json, List<(string Name, Range Value)>? extra)
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
                writer.WriteRawValue(json[value], skipInputValidation: true);
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
