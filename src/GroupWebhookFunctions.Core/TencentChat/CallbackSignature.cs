using System.Security.Cryptography;
using System.Text;

namespace GroupWebhookFunctions.TencentChat;

public enum SignatureCheck
{
    Valid,
    Missing,
    MalformedRequestTime,
    Expired,
    Mismatch,
}

/// <summary>Tencent's callback authentication: Sign = lowercase hex SHA-256 of (token + RequestTime).</summary>
public static class CallbackSignature
{
    private const int HashBytes = 32;

    public static string Compute(string token, string requestTime)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        HashTokenAndTime(token, requestTime, hash);
        return Convert.ToHexStringLower(hash);
    }

    public static SignatureCheck Verify(string token, string? sign, string? requestTime, DateTimeOffset now, int maxSkewSeconds)
    {
        if (string.IsNullOrEmpty(sign) || string.IsNullOrEmpty(requestTime))
            return SignatureCheck.Missing;
        if (!long.TryParse(requestTime, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            return SignatureCheck.MalformedRequestTime;
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > maxSkewSeconds)
            return SignatureCheck.Expired;

        Span<byte> expected = stackalloc byte[HashBytes];
        HashTokenAndTime(token, requestTime, expected);
        Span<byte> given = stackalloc byte[HashBytes];
        // A Sign that is not 64 hex digits still goes through the comparison, so timing says nothing about the token.
        var wellFormed = sign.Length == HashBytes * 2 && Convert.FromHexString(sign, given, out _, out var written) == System.Buffers.OperationStatus.Done && written == HashBytes;
        var equal = CryptographicOperations.FixedTimeEquals(expected, given);
        return wellFormed && equal ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    private static void HashTokenAndTime(string token, string requestTime, Span<byte> hash)
    {
        var length = Encoding.UTF8.GetByteCount(token) + requestTime.Length * 3;
        byte[]? rented = null;
        Span<byte> input = length <= 512 ? stackalloc byte[length] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length));
        var written = Encoding.UTF8.GetBytes(token, input);
        written += Encoding.UTF8.GetBytes(requestTime, input[written..]);
        SHA256.HashData(input[..written], hash);
        if (rented is not null)
        {
            CryptographicOperations.ZeroMemory(rented);
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
