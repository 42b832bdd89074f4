using System.Text.Json;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Receiving;

public static class EnvelopeWriter
{
    private const int FieldsAllowance = 512;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes the envelope with <paramref name="body"/> embedded byte for byte; the body must be valid JSON.</summary>
    public static PooledBuffer Write(CallbackQuery query, string command, ReadOnlySpan<byte> body, DateTimeOffset receivedAt)
    {
        var buffer = new PooledBuffer(body.Length + FieldsAllowance);
        var writer = t_writer ??= new Utf8JsonWriter(Stream.Null);
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString(EventEnvelope.SdkAppIdName, query.SdkAppId);
        writer.WriteString(EventEnvelope.CallbackCommandName, command);
        WriteIfPresent(writer, EventEnvelope.ClientIpName, query.ClientIp);
        WriteIfPresent(writer, EventEnvelope.OptPlatformName, query.OptPlatform);
        writer.WriteString(EventEnvelope.ReceivedAtName, receivedAt);
        writer.WritePropertyName(EventEnvelope.BodyName);
        writer.WriteRawValue(body, skipInputValidation: true);
        writer.WriteEndObject();
        writer.Flush();
        writer.Reset(Stream.Null);
        return buffer;
    }

    public static byte[] WritePayloadReference(string blobName)
    {
        using var buffer = new PooledBuffer(FieldsAllowance);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(EventEnvelope.PayloadBlobName, blobName);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
            writer.WriteString(name, value);
    }
}
