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
                    body.MistypedField ??= field;
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

    /// <summary>Checks the value against the field's documented kind, keeping the values the receiver needs.</summary>
    private static bool ReadField(ref Utf8JsonReader reader, GroupMessageField field, InspectedBody body)
    {
        switch (GroupMessageFields.KindOf(field))
        {
            case FieldKind.Text:
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                    return false;
                if (InspectedBody.Keeps(field))
                    body.Keep(field, reader.TokenType == JsonTokenType.String ? reader.GetString() : null);
                return true;
            case FieldKind.WholeNumber:
                if (!FlexibleInteger.TryRead(ref reader, out var number))
                    return false;
                body.Keep(field, number);
                return true;
            case FieldKind.Array:
                return reader.TokenType is JsonTokenType.StartArray or JsonTokenType.Null;
            default:
                return true;
        }
    }
}
