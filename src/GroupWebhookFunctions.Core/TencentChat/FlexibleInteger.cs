using System.Buffers.Text;
using System.Text.Json;

namespace GroupWebhookFunctions.TencentChat;

/// <summary>
/// Tencent documents integers but sends some as strings (its own sample quotes EventTime), so an integer field
/// is a JSON number or a string of digits; null and "" mean absent. The receiver and the synchronizer both read
/// integers through here, so whatever the receiver accepts the synchronizer can parse.
/// </summary>
public static class FlexibleInteger
{
    public static bool TryRead(ref Utf8JsonReader reader, out long? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.Number when reader.TryGetInt64(out var number):
                value = number;
                return true;
            case JsonTokenType.String:
                return TryParseText(ref reader, out value);
            default:
                return false;
        }
    }

    private static bool TryParseText(ref Utf8JsonReader reader, out long? value)
    {
        value = null;
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            var text = reader.GetString();
            if (string.IsNullOrEmpty(text))
                return true;
            if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                return false;
            value = parsed;
            return true;
        }

        var span = reader.ValueSpan;
        if (span.IsEmpty)
            return true;
        if (!Utf8Parser.TryParse(span, out long number, out var consumed) || consumed != span.Length)
            return false;
        value = number;
        return true;
    }
}
