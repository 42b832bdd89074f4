using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GroupWebhookFunctions.TencentChat.Rest;

/// <summary>
/// Tencent's UserSig (TLS sig API v2): an HMAC-SHA256 of the identity and validity with the app's key, in a JSON
/// document, zlib-compressed and base64-encoded with '*', '-' and '_' for '+', '/' and '='. Tencent's own library
/// is not on NuGet; the algorithm needs only the BCL.
/// </summary>
public static class UserSig
{
    public static string Create(long sdkAppId, string identifier, string secretKey, long time, long expireSeconds)
    {
        using var document = new MemoryStream();
        using (var writer = new Utf8JsonWriter(document))
        {
            writer.WriteStartObject();
            writer.WriteString("TLS.ver", "2.0");
            writer.WriteString("TLS.identifier", identifier);
            writer.WriteNumber("TLS.sdkappid", sdkAppId);
            writer.WriteNumber("TLS.expire", expireSeconds);
            writer.WriteNumber("TLS.time", time);
            writer.WriteString("TLS.sig", Signature(sdkAppId, identifier, secretKey, time, expireSeconds));
            writer.WriteEndObject();
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(document.GetBuffer(), 0, (int)document.Length);
        return Convert.ToBase64String(compressed.GetBuffer(), 0, (int)compressed.Length)
            .Replace('+', '*').Replace('/', '-').Replace('=', '_');
    }

    /// <summary>The document's TLS.sig: standard base64 of HMAC-SHA256 over the four lines, each ending in '\n'.</summary>
    public static string Signature(long sdkAppId, string identifier, string secretKey, long time, long expireSeconds)
    {
        var content = string.Create(CultureInfo.InvariantCulture,
            $"TLS.identifier:{identifier}\nTLS.sdkappid:{sdkAppId}\nTLS.time:{time}\nTLS.expire:{expireSeconds}\n");
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(content)));
    }
}
