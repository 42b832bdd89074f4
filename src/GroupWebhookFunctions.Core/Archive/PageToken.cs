using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.Archive;

/// <summary>Where the following page starts: the last row key served, and what the first page read of the summary.</summary>
public sealed record PagePosition(string LastRowKey, long? CompleteThroughSeq);

/// <summary>
/// The opaque <c>Next</c> token: a position bound to the query it continues (group, topic and every other parameter),
/// sealed with an HMAC. The key is public: a position is not a secret (before/after reach any of them), the seal only
/// makes a token that is not ours, edited, cut, or from another query, fail as a 400 instead of serving the wrong rows.
/// </summary>
public static class PageToken
{
    private const byte Version = 1;
    private const int BindingLength = 16;
    private const int SealLength = 16;
    private static readonly byte[] SealKey = Encoding.UTF8.GetBytes("GroupWebhookFunctions archive page token v1");

    public static string Write(string binding, PagePosition position)
    {
        var payload = JsonObject.Write(writer =>
        {
            writer.WriteString("k", position.LastRowKey);
            if (position.CompleteThroughSeq is { } complete)
                writer.WriteNumber("c", complete);
        });
        var bytes = new byte[1 + BindingLength + payload.Length + SealLength];
        bytes[0] = Version;
        Bind(binding).CopyTo(bytes, 1);
        payload.CopyTo(bytes, 1 + BindingLength);
        Seal(bytes.AsSpan(0, bytes.Length - SealLength)).CopyTo(bytes.AsSpan(bytes.Length - SealLength));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The position, or null when the token is not one this query's pages gave out.</summary>
    public static PagePosition? Read(string token, string binding)
    {
        if (token.Length > 1024 || !Base64Url.IsValid(token))
            return null;
        var bytes = Base64Url.DecodeFromChars(token);
        if (bytes.Length < 1 + BindingLength + 2 + SealLength || bytes[0] != Version)
            return null;
        var sealedPart = bytes.AsSpan(0, bytes.Length - SealLength);
        if (!CryptographicOperations.FixedTimeEquals(Seal(sealedPart), bytes.AsSpan(bytes.Length - SealLength))
            || !bytes.AsSpan(1, BindingLength).SequenceEqual(Bind(binding)))
            return null;
        try
        {
            using var document = JsonDocument.Parse(bytes.AsMemory(1 + BindingLength, bytes.Length - 1 - BindingLength - SealLength));
            var root = document.RootElement;
            if (!root.TryGetProperty("k", out var key) || key.ValueKind != JsonValueKind.String || key.GetString() is not { Length: > 0 and <= TableKeys.MaxKeyLength } lastRowKey)
                return null;
            long? complete = root.TryGetProperty("c", out var c) && c.TryGetInt64(out var value) ? value : null;
            return new PagePosition(lastRowKey, complete);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The query a token belongs to, as one text: each part on a line of its own, so parts cannot run together.</summary>
    public static string Binding(params object?[] parts) =>
        string.Join('\n', parts.Select(p => Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture)?.Replace("\n", "\\n", StringComparison.Ordinal) ?? "\u0000"));

    private static byte[] Bind(string binding) => SHA256.HashData(Encoding.UTF8.GetBytes(binding)).AsSpan(0, BindingLength).ToArray();

    private static byte[] Seal(ReadOnlySpan<byte> content) => HMACSHA256.HashData(SealKey, content).AsSpan(0, SealLength).ToArray();
}
