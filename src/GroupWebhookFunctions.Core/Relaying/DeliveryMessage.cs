using System.Text.Json;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.Relaying;

/// <summary>
/// A queue message of relay-deliveries: Tencent's query string and body, byte for byte, and when it arrived; or, for
/// one too big for a queue message, the blob that holds it (<see cref="EventEnvelope.PayloadBlobName"/>). A retry
/// carries the tries made so far in <see cref="AttemptName"/>.
/// </summary>
public sealed class DeliveryMessage
{
    public const string QueryName = "Query";
    public const string AttemptName = "Attempt";

    /// <summary>
    /// The largest delivery sent inline: a retry adds its <see cref="AttemptName"/> (at most 21 bytes), and a delivery
    /// that filled the queue's limit could then never be queued again for its next try.
    /// </summary>
    public const int MaxQueuedBytes = EventEnvelope.MaxQueuedBytes - 32;

    private const int FieldsAllowance = 1024;

    private DeliveryMessage(ReadOnlyMemory<byte> bytes) => Bytes = bytes;

    /// <summary>The message as read; <see cref="Body"/> is a slice of it.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public string? Query { get; private set; }

    public string? Command { get; private set; }

    public DateTimeOffset? ReceivedAt { get; private set; }

    public string? PayloadBlob { get; private set; }

    /// <summary>Tries already made; 0 on the first.</summary>
    public int Attempt { get; private set; }

    /// <summary>Tencent's body as it arrived.</summary>
    public ReadOnlyMemory<byte> Body { get; private set; }

    /// <summary>Writes a delivery; <paramref name="body"/> must be JSON, as the judge has made sure of every body that is relayed.</summary>
    public static PooledBuffer Write(string query, string command, ReadOnlySpan<byte> body, DateTimeOffset receivedAt)
    {
        var buffer = new PooledBuffer(body.Length + query.Length + FieldsAllowance);
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteString(QueryName, query);
        writer.WriteString(EventEnvelope.CallbackCommandName, command);
        writer.WriteString(EventEnvelope.ReceivedAtName, receivedAt);
        writer.WritePropertyName(EventEnvelope.BodyName);
        writer.WriteRawValue(body, skipInputValidation: true);
        writer.WriteEndObject();
        writer.Flush();
        return buffer;
    }

    /// <summary>The same message with <paramref name="attempt"/> tries made; 0 leaves the count out, as a fresh delivery has it.</summary>
    public byte[] WithAttempt(int attempt)
    {
        using var buffer = new PooledBuffer(Bytes.Length + 32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var reader = new Utf8JsonReader(Bytes.Span);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isAttempt = reader.ValueTextEquals(AttemptName);
                var name = reader.GetString()!;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (isAttempt)
                    continue;
                writer.WritePropertyName(name);
                writer.WriteRawValue(Bytes.Span[WithWhitespace(Bytes.Span, start, (int)reader.BytesConsumed)], skipInputValidation: true);
            }
            if (attempt > 0)
                writer.WriteNumber(AttemptName, attempt);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a delivery, or returns null when the bytes are not one.</summary>
    public static DeliveryMessage? Read(ReadOnlyMemory<byte> bytes)
    {
        var message = new DeliveryMessage(bytes);
        try
        {
            var reader = new Utf8JsonReader(bytes.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case QueryName when reader.TokenType == JsonTokenType.String:
                        message.Query = reader.GetString();
                        break;
                    case EventEnvelope.CallbackCommandName when reader.TokenType == JsonTokenType.String:
                        message.Command = reader.GetString();
                        break;
                    case EventEnvelope.ReceivedAtName when reader.TokenType == JsonTokenType.String:
                        message.ReceivedAt = reader.GetDateTimeOffset();
                        break;
                    case EventEnvelope.PayloadBlobName when reader.TokenType == JsonTokenType.String:
                        message.PayloadBlob = reader.GetString();
                        break;
                    case AttemptName when reader.TokenType == JsonTokenType.Number:
                        message.Attempt = reader.GetInt32();
                        break;
                    case EventEnvelope.BodyName:
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        message.Body = bytes[WithWhitespace(bytes.Span, start, (int)reader.BytesConsumed)];
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
        return message.PayloadBlob is not null || (message.Query is not null && !message.Body.IsEmpty) ? message : null;
    }

    /// <summary>
    /// A value's bytes with the whitespace Tencent sent around the body, which <see cref="Write"/> keeps between the
    /// ':' and the next ',' or '}': the handler gets the body byte for byte.
    /// </summary>
    private static Range WithWhitespace(ReadOnlySpan<byte> bytes, int start, int end)
    {
        while (start > 0 && IsWhitespace(bytes[start - 1]))
            start--;
        while (end < bytes.Length && IsWhitespace(bytes[end]))
            end++;
        return start..end;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
