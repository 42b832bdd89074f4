using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Storage;

/// <summary>
/// Deterministic Table Storage keys. Group IDs contain '#' (e.g. @TGS#2J4SZEAEL), which keys forbid, so every
/// character outside a safe set is written as '~' and its UTF-8 bytes in hex: distinct IDs keep distinct keys.
/// </summary>
public static class TableKeys
{
    private const char Escape = '~';
    private const string TopicSeparator = "!";
    private const string GroupRowKey = "";
    private const string MessageIdPrefix = "id-";
    private static readonly SearchValues<char> Safe = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@_.-");

    /// <summary>Table Storage refuses a PartitionKey or RowKey over 1 KiB.</summary>
    public const int MaxKeyLength = 1024;

    /// <summary>
    /// Whether this identity's keys fit Table Storage, checked without building them: escaping turns each UTF-8 byte
    /// into at most three characters. Tencent's IDs are far shorter; this refuses only what could never be stored.
    /// </summary>
    public static bool Fit(MessageIdentity identity) =>
        3 * (Encoding.UTF8.GetByteCount(identity.GroupId) + Encoding.UTF8.GetByteCount(identity.TopicId ?? "")) + TopicSeparator.Length <= MaxKeyLength
        && (identity.Kind != MessageIdentityKind.MessageId || 3 * Encoding.UTF8.GetByteCount(identity.MsgId!) + MessageIdPrefix.Length <= MaxKeyLength);

    /// <summary>One partition per group, or per topic of a community: a conversation's messages stay together.</summary>
    public static string MessagePartition(MessageIdentity identity) =>
        identity.TopicId is null ? EscapeKey(identity.GroupId) : EscapeKey(identity.GroupId) + TopicSeparator + EscapeKey(identity.TopicId);

    /// <summary>MsgSeq zero-padded, so rows sort by MsgSeq; other identities sort after every sequence.</summary>
    public static string MessageRow(MessageIdentity identity) => identity.Kind switch
    {
        MessageIdentityKind.Sequence => identity.MsgSeq.ToString("D19", System.Globalization.CultureInfo.InvariantCulture),
        MessageIdentityKind.MessageId => MessageIdPrefix + EscapeKey(identity.MsgId!),
        _ => "h-" + ContentHash(identity),
    };

    public static string SummaryPartition(MessageIdentity identity) => EscapeKey(identity.GroupId);

    /// <summary>The group's own row has the empty key and sorts before its topics' rows.</summary>
    public static string SummaryRow(MessageIdentity identity) => identity.TopicId is null ? GroupRowKey : EscapeKey(identity.TopicId);

    public static string EscapeKey(string value)
    {
        if (value.AsSpan().IndexOfAnyExcept(Safe) < 0)
            return value;
        var builder = new StringBuilder(value.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (Safe.Contains(c))
            {
                builder.Append(c);
                continue;
            }
            var length = char.IsHighSurrogate(c) && i + 1 < value.Length
                ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length])
                builder.Append(Escape).Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    private static string ContentHash(MessageIdentity identity)
    {
        var text = string.Join('\n', identity.GroupId, identity.TopicId, identity.FromAccount, identity.Random, identity.MsgTime);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }
}
