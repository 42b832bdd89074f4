using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace GroupWebhookFunctions.TencentChat;

/// <summary>
/// MsgType sits beside MsgContent rather than inside it, which System.Text.Json's polymorphism cannot express.
/// An element is never lost: content that is unknown or unreadable as its documented type is kept raw.
/// </summary>
public sealed class MessageElementConverter : JsonConverter<MessageElement>
{
    private const string MsgTypeName = "MsgType";
    private const string MsgContentName = "MsgContent";

    private static readonly Dictionary<string, JsonTypeInfo> ContentTypes = new(StringComparer.Ordinal)
    {
        ["TIMTextElem"] = TencentChatJsonContext.Default.TextContent,
        ["TIMLocationElem"] = TencentChatJsonContext.Default.LocationContent,
        ["TIMFaceElem"] = TencentChatJsonContext.Default.FaceContent,
        ["TIMCustomElem"] = TencentChatJsonContext.Default.CustomContent,
        ["TIMSoundElem"] = TencentChatJsonContext.Default.SoundContent,
        ["TIMImageElem"] = TencentChatJsonContext.Default.ImageContent,
        ["TIMFileElem"] = TencentChatJsonContext.Default.FileContent,
        ["TIMVideoFileElem"] = TencentChatJsonContext.Default.VideoFileContent,
        ["TIMRelayElem"] = TencentChatJsonContext.Default.RelayContent,
    };

    public static IReadOnlyCollection<string> KnownTypes => ContentTypes.Keys;

    public override MessageElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        if (element.ValueKind != JsonValueKind.Object)
            return new MessageElement { MsgType = "", MsgContent = new UnknownContent { Raw = element } };

        var msgType = element.TryGetProperty(MsgTypeName, out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : "";
        var content = element.TryGetProperty(MsgContentName, out var rawContent) ? ReadContent(msgType, rawContent) : new UnknownContent();
        Dictionary<string, JsonElement>? extension = null;
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals(MsgTypeName) || property.NameEquals(MsgContentName))
                continue;
            (extension ??= [])[property.Name] = property.Value;
        }
        return new MessageElement { MsgType = msgType, MsgContent = content, ExtensionData = extension };
    }

    public override void Write(Utf8JsonWriter writer, MessageElement value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(MsgTypeName, value.MsgType);
        writer.WritePropertyName(MsgContentName);
        if (value.MsgContent is UnknownContent unknown)
            unknown.Raw.WriteTo(writer);
        else
            JsonSerializer.Serialize(writer, value.MsgContent, TencentChatJsonContext.Default.GetTypeInfo(value.MsgContent.GetType())!);
        foreach (var (name, extra) in value.ExtensionData ?? new Dictionary<string, JsonElement>())
        {
            writer.WritePropertyName(name);
            extra.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    private static MessageContent ReadContent(string msgType, JsonElement raw)
    {
        if (raw.ValueKind == JsonValueKind.Object && ContentTypes.TryGetValue(msgType, out var typeInfo))
        {
            try
            {
                if (raw.Deserialize(typeInfo) is MessageContent typed)
                    return typed;
            }
            catch (JsonException)
            {
                // Kept raw below: a malformed element must not cost the message.
            }
        }
        return new UnknownContent { Raw = raw.Clone() };
    }
}

/// <summary>Reads Tencent's integers through <see cref="FlexibleInteger"/>; writes them as numbers.</summary>
public sealed class FlexibleIntegerConverter : JsonConverter<long?>
{
    public override bool HandleNull => true;

    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        FlexibleInteger.TryRead(ref reader, out var value) ? value : throw new JsonException("Expected an integer, as a number or a string of digits.");

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
    {
        if (value is { } number)
            writer.WriteNumberValue(number);
        else
            writer.WriteNullValue();
    }
}
