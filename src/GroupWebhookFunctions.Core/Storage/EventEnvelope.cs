using System.Text.Json;
using System.Text.Json.Serialization;

namespace GroupWebhookFunctions.Storage;

/// <summary>
/// The queue message between the receiver and the synchronizer: Tencent's body untouched, plus what only the
/// callback URL carried. An envelope too large for a queue message is kept in a blob and the queue message
/// carries only <see cref="PayloadBlob"/>.
/// </summary>
public sealed class EventEnvelope
{
    public const string SdkAppIdName = "SdkAppid";
    public const string CallbackCommandName = "CallbackCommand";
    public const string ClientIpName = "ClientIP";
    public const string OptPlatformName = "OptPlatform";
    public const string ReceivedAtName = "ReceivedAt";
    public const string BodyName = "Body";
    public const string PayloadBlobName = "PayloadBlob";

    /// <summary>Azure queue messages hold 64 KiB; base64 makes four characters of three bytes.</summary>
    public const int MaxQueuedBytes = 64 * 1024 / 4 * 3;

    [JsonPropertyName(SdkAppIdName)] public string? SdkAppId { get; set; }
    [JsonPropertyName(CallbackCommandName)] public string? CallbackCommand { get; set; }
    [JsonPropertyName(ClientIpName)] public string? ClientIp { get; set; }
    [JsonPropertyName(OptPlatformName)] public string? OptPlatform { get; set; }
    [JsonPropertyName(ReceivedAtName)] public DateTimeOffset? ReceivedAt { get; set; }
    [JsonPropertyName(BodyName)] public JsonElement? Body { get; set; }
    [JsonPropertyName(PayloadBlobName)] public string? PayloadBlob { get; set; }
}
