using System.Buffers;
using System.Globalization;
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
    /// <summary>Joins the parts of a composite key; '!' never occurs in an escaped key, so parts cannot run together.</summary>
    private const string Separator = "!";
    private const string GroupRowKey = "";
    private const string MessageIdPrefix = "id-";
    private static readonly SearchValues<char> Safe = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@_.-");

    /// <summary>Table Storage refuses a PartitionKey or RowKey over 1 KiB, which is 512 UTF-16 characters.</summary>
    public const int MaxKeyLength = 512;

    /// <summary>
    /// Whether every key of this identity (message and summary) fits Table Storage, measured exactly without building
    /// them. Tencent's IDs are far shorter; this refuses only what could never be stored.
    /// </summary>
    public static bool Fit(MessageIdentity identity) =>
        ConversationFits(identity.GroupId, identity.TopicId)
        && (identity.Kind != MessageIdentityKind.MessageId || MessageIdPrefix.Length + EscapedLength(identity.MsgId!) <= MaxKeyLength);

    /// <summary>Whether a group's (or topic's) partition key, and so its summary keys, fit Table Storage.</summary>
    public static bool ConversationFits(string groupId, string? topicId) =>
        EscapedLength(groupId) + (string.IsNullOrEmpty(topicId) ? 0 : Separator.Length + EscapedLength(topicId)) <= MaxKeyLength;

    /// <summary>Whether a reader's row key (<see cref="ReaderRow"/>) fits beside a message that fits.</summary>
    public static bool ReaderFits(MessageIdentity identity, string member) =>
        MessageRow(identity).Length + Separator.Length + EscapedLength(member) <= MaxKeyLength;

    /// <summary>The length of <see cref="EscapeKey"/>'s result: a safe character is itself, any other three characters per UTF-8 byte.</summary>
    public static int EscapedLength(string value)
    {
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (Safe.Contains(c))
                length++;
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                (length, i) = (length + 3 * 4, i + 1);
            else
                length += 3 * (c < 0x80 ? 1 : c < 0x800 ? 2 : 3);
        }
        return length;
    }

    /// <summary>One partition per group, or per topic of a community: a conversation's messages stay together.</summary>
    public static string MessagePartition(MessageIdentity identity) => ConversationPartition(identity.GroupId, identity.TopicId);

    /// <summary>A group's, or a topic's, partition: its messages, their readers and its failed sends stay together.</summary>
    public static string ConversationPartition(string groupId, string? topicId) =>
        string.IsNullOrEmpty(topicId) ? EscapeKey(groupId) : EscapeKey(groupId) + Separator + EscapeKey(topicId);

    /// <summary>One row per member who read a message, beside the message's own key.</summary>
    public static string ReaderRow(MessageIdentity identity, string member) => MessageRow(identity) + Separator + EscapeKey(member);

    /// <summary>A failed send has no MsgSeq: its row is keyed by when it failed and a hash of what identifies it, so a repeat finds the same row.</summary>
    public static string FailureRow(long eventTime, string? fromAccount, long? random, long? errorCode, string? topicId)
    {
        return eventTime.ToString("D19", CultureInfo.InvariantCulture) + "-" + Hash(string.Create(CultureInfo.InvariantCulture, $"{eventTime}\n{fromAccount}\n{random}\n{errorCode}\n{topicId}"));
    }

    /// <summary>MsgSeq zero-padded, so rows sort by MsgSeq; other identities sort after every sequence.</summary>
    public static string MessageRow(MessageIdentity identity) => identity.Kind switch
    {
        MessageIdentityKind.Sequence => SequenceRow(identity.MsgSeq),
        MessageIdentityKind.MessageId => MessageIdPrefix + EscapeKey(identity.MsgId!),
        _ => "h-" + ContentHash(identity),
    };

    /// <summary>A message's row key by its MsgSeq: 19 digits, so a range of seqs is a range of keys.</summary>
    public static string SequenceRow(long msgSeq) => msgSeq.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The MsgSeq a sequence row key stands for, or null for a row keyed otherwise.</summary>
    public static long? SequenceOf(string rowKey) =>
        rowKey.Length == 19 && long.TryParse(rowKey, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;

    public static string SummaryPartition(MessageIdentity identity) => SummaryPartition(identity.GroupId);

    public static string SummaryPartition(string groupId) => EscapeKey(groupId);

    /// <summary>The group's own row has the empty key and sorts before its topics' rows.</summary>
    public static string SummaryRow(MessageIdentity identity) => SummaryRow(identity.TopicId);

    public static string SummaryRow(string? topicId) => string.IsNullOrEmpty(topicId) ? GroupRowKey : EscapeKey(topicId);

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
            var length = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])
                ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length])
                builder.Append(Escape).Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    private static string ContentHash(MessageIdentity identity) =>
        Hash(string.Create(CultureInfo.InvariantCulture, $"{identity.GroupId}\n{identity.TopicId}\n{identity.FromAccount}\n{identity.Random}\n{identity.MsgTime}"));

    /// <summary>
    /// A key's hash part, of text built with the invariant culture: a number's text (a minus sign above all) must not
    /// depend on the culture the instance runs in, or two instances would key one event twice.
    /// </summary>
    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
}
