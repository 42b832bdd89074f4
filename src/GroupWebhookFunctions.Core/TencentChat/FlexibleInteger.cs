using System.Text.Json;

namespace GroupWebhookFunctions.TencentChat;

/// <summary>
/// Tencent documents integers but sends some as strings (its own sample quotes EventTime), so an integer field is a
/// JSON integer or a string of ASCII digits only (no sign, space or other character); null and "" mean absent.
/// </summary>
public static class FlexibleInteger
{
    /// <summary>long.MaxValue has 19 digits.</summary>
    private const int MaxDigits = 19;

    /// <summary>The same rule for a value already parsed (a REST answer); anything that is not an integer is absent.</summary>
    public static long? Read(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var number) => number,
        JsonValueKind.String when long.TryParse(value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

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
                return TryParseDigits(ref reader, out value);
            default:
                return false;
        }
    }

    private static bool TryParseDigits(ref Utf8JsonReader reader, out long? value)
    {
        value = null;
        // Each digit takes at most six characters escaped (\u0031); anything longer is not an integer.
        Span<byte> unescaped = stackalloc byte[MaxDigits * 6];
        scoped ReadOnlySpan<byte> digits = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            if (digits.Length > unescaped.Length)
                return false;
            digits = unescaped[..reader.CopyString(unescaped)];
        }

        if (digits.IsEmpty)
            return true;
        if (digits.Length > MaxDigits)
            return false;
        long number = 0;
        foreach (var character in digits)
        {
            var digit = character - '0';
            if (digit is < 0 or > 9 || number > (long.MaxValue - digit) / 10)
                return false;
            number = number * 10 + digit;
        }
        value = number;
        return true;
    }
}
