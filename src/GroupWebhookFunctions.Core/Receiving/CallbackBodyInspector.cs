using System.Text.Json;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Receiving;

/// <summary>
/// Validates that a body is one JSON object and reads the fields needed before acknowledging. It also checks the
/// JSON type of every field the synchronizer reads, so nothing the receiver acknowledges can fail to parse later.
/// </summary>
public static class CallbackBodyInspector
{
    public static bool TryInspect(ReadOnlySpan<byte> json, out InspectedBody body)
    {
        body = new InspectedBody();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = GroupMessageFields.Match(ref reader);
                reader.Read();
                if (!ReadField(ref reader, field, body))
                    body.MistypedField ??= GroupMessageFields.NameOf(field);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    reader.Skip();
            }
            // Anything after the closing brace makes the body something other than one JSON object.
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool ReadField(ref Utf8JsonReader reader, GroupMessageField field, InspectedBody body)
    {
        string? text;
        long? number;
        switch (field)
        {
            case GroupMessageField.CallbackCommand when TryGetString(ref reader, out text): body.CallbackCommand = text; return true;
            case GroupMessageField.GroupId when TryGetString(ref reader, out text): body.GroupId = text; return true;
            case GroupMessageField.TopicId when TryGetString(ref reader, out text): body.TopicId = text; return true;
            case GroupMessageField.Type when TryGetString(ref reader, out text): body.Type = text; return true;
            case GroupMessageField.FromAccount when TryGetString(ref reader, out text): body.FromAccount = text; return true;
            case GroupMessageField.MsgId when TryGetString(ref reader, out text): body.MsgId = text; return true;
            case GroupMessageField.MsgSeq when FlexibleInteger.TryRead(ref reader, out number): body.MsgSeq = number; return true;
            case GroupMessageField.Random when FlexibleInteger.TryRead(ref reader, out number): body.Random = number; return true;
            case GroupMessageField.MsgTime when FlexibleInteger.TryRead(ref reader, out number): body.MsgTime = number; return true;
            case GroupMessageField.OperatorAccount or GroupMessageField.CloudCustomData: return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
            case GroupMessageField.OnlineOnlyFlag or GroupMessageField.EventTime: return FlexibleInteger.TryRead(ref reader, out _);
            case GroupMessageField.MsgBody: return reader.TokenType is JsonTokenType.StartArray or JsonTokenType.Null;
            case GroupMessageField.Unknown: return true;
            default: return false;
        }
    }

    private static bool TryGetString(ref Utf8JsonReader reader, out string? value)
    {
        value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }
}
