using System.Text.Json;
using System.Text.Json.Serialization;

namespace GroupWebhookFunctions.TencentChat;

/// <summary>One element of MsgBody: a MsgType and its MsgContent, typed where Tencent documents the type.</summary>
[JsonConverter(typeof(MessageElementConverter))]
public sealed class MessageElement
{
    public required string MsgType { get; init; }

    /// <summary>Typed content; <see cref="UnknownContent"/> for a type this version does not know.</summary>
    public required MessageContent MsgContent { get; init; }

    /// <summary>Anything beside MsgType and MsgContent, kept as sent.</summary>
    public IDictionary<string, JsonElement>? ExtensionData { get; init; }
}

public abstract class MessageContent
{
    /// <summary>Fields of this content that the typed model does not name, kept as sent.</summary>
    [JsonExtensionData] public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class TextContent : MessageContent
{
    public string? Text { get; set; }
}

public sealed class LocationContent : MessageContent
{
    public string? Desc { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
}

public sealed class FaceContent : MessageContent
{
    public long? Index { get; set; }
    public string? Data { get; set; }
}

public sealed class CustomContent : MessageContent
{
    public string? Data { get; set; }
    public string? Desc { get; set; }
    public string? Ext { get; set; }
    public string? Sound { get; set; }
}

public sealed class SoundContent : MessageContent
{
    public string? Url { get; set; }
    public string? UUID { get; set; }
    public long? Size { get; set; }
    public long? Second { get; set; }
    [JsonPropertyName("Download_Flag")] public long? DownloadFlag { get; set; }
}

public sealed class ImageContent : MessageContent
{
    public string? UUID { get; set; }

    /// <summary>1 JPG, 2 GIF, 3 PNG, 4 BMP, 255 other.</summary>
    public long? ImageFormat { get; set; }

    public IList<ImageInfo>? ImageInfoArray { get; set; }
}

public sealed class ImageInfo
{
    /// <summary>1 original, 2 large, 3 thumbnail.</summary>
    public long? Type { get; set; }
    public long? Size { get; set; }
    public long? Width { get; set; }
    public long? Height { get; set; }
    public string? URL { get; set; }

    [JsonExtensionData] public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class FileContent : MessageContent
{
    public string? Url { get; set; }
    public string? UUID { get; set; }
    public long? FileSize { get; set; }
    public string? FileName { get; set; }
    [JsonPropertyName("Download_Flag")] public long? DownloadFlag { get; set; }
}

public sealed class VideoFileContent : MessageContent
{
    public string? VideoUrl { get; set; }
    public string? VideoUUID { get; set; }
    public long? VideoSize { get; set; }
    public long? VideoSecond { get; set; }
    public string? VideoFormat { get; set; }
    public long? VideoDownloadFlag { get; set; }
    public string? ThumbUrl { get; set; }
    public string? ThumbUUID { get; set; }
    public long? ThumbSize { get; set; }
    public long? ThumbWidth { get; set; }
    public long? ThumbHeight { get; set; }
    public string? ThumbFormat { get; set; }
    public long? ThumbDownloadFlag { get; set; }
}

/// <summary>A merged-forward message: a summary plus either the messages themselves or a key to fetch them.</summary>
public sealed class RelayContent : MessageContent
{
    public string? Title { get; set; }
    public long? MsgNum { get; set; }
    public string? CompatibleText { get; set; }
    public IList<JsonElement>? AbstractList { get; set; }
    public IList<JsonElement>? MsgList { get; set; }
    public string? JsonMsgKey { get; set; }
}

/// <summary>Content of an element type this version does not know, or could not read as its documented type.</summary>
public sealed class UnknownContent : MessageContent
{
    public JsonElement Raw { get; init; }
}
