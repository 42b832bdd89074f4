using System.Text.Json.Serialization;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.TencentChat;

/// <summary>Source-generated serialization: no reflection per message.</summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(FlexibleIntegerConverter)])]
[JsonSerializable(typeof(GroupMessageSent))]
[JsonSerializable(typeof(EventEnvelope))]
[JsonSerializable(typeof(TextContent))]
[JsonSerializable(typeof(LocationContent))]
[JsonSerializable(typeof(FaceContent))]
[JsonSerializable(typeof(CustomContent))]
[JsonSerializable(typeof(SoundContent))]
[JsonSerializable(typeof(ImageContent))]
[JsonSerializable(typeof(FileContent))]
[JsonSerializable(typeof(VideoFileContent))]
[JsonSerializable(typeof(RelayContent))]
public sealed partial class TencentChatJsonContext : JsonSerializerContext;
