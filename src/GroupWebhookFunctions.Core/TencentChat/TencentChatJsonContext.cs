using System.Text.Json.Serialization;
using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.TencentChat;

/// <summary>
/// Source-generated serialization: no reflection per message. An envelope nests the body one level deeper than
/// <see cref="CallbackJudge"/> allows the body to nest, so the reader's depth is set from it.
/// </summary>
[JsonSourceGenerationOptions(
    MaxDepth = CallbackJudge.MaxDepth + 1,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(FlexibleIntegerConverter)])]
[JsonSerializable(typeof(List<MessageElement>))]
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
