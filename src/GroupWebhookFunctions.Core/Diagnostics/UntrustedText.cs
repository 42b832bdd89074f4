using System.Globalization;
using System.Text;

namespace GroupWebhookFunctions.Diagnostics;

/// <summary>
/// A value someone outside sent us, as it may appear in a log line or in an answer's ErrorInfo: control characters
/// (and line or paragraph separators) escaped, so it cannot start a forged line, and cut to
/// <see cref="MaxLength"/> characters, so it cannot make a line long. Rendered only when a line is written.
/// </summary>
public readonly struct UntrustedText(string? value)
{
    /// <summary>How many characters of the value are shown; the README documents this.</summary>
    public const int MaxLength = 64;

    public override string ToString() => Render(value);

    public static string Render(string? value)
    {
        if (value is null)
            return "";
        var shown = Math.Min(value.Length, MaxLength);
        // Never end on half a surrogate pair.
        if (shown < value.Length && char.IsHighSurrogate(value[shown - 1]))
            shown--;
        if (shown == value.Length && !NeedsEscaping(value))
            return value;

        var builder = new StringBuilder(shown + 24);
        for (var i = 0; i < shown; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < shown && char.IsLowSurrogate(value[i + 1]))
                builder.Append(c).Append(value[++i]);
            else if (IsUnsafe(c))
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else
                builder.Append(c);
        }
        if (shown < value.Length)
            builder.Append("…(").Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
        return builder.ToString();
    }

    private static bool NeedsEscaping(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                i++;
            else if (IsUnsafe(c))
                return true;
        }
        return false;
    }

    /// <summary>Control characters break lines; format characters (bidirectional overrides) disguise them; a lone surrogate breaks encoders.</summary>
    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' || char.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
