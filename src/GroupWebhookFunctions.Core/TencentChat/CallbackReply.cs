using System.Text.Json;

namespace GroupWebhookFunctions.TencentChat;

/// <summary>An answer to Tencent: an HTTP status and the JSON body Tencent reads (ActionStatus, ErrorCode, ErrorInfo).</summary>
public sealed class CallbackReply
{
    private CallbackReply(int statusCode, int errorCode, string errorInfo)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorInfo = errorInfo;
        Body = Render(errorCode == 0 ? "OK" : "FAIL", errorCode, errorInfo);
    }

    public int StatusCode { get; }

    public int ErrorCode { get; }

    public string ErrorInfo { get; }

    /// <summary>Rendered once: every answer of a kind has the same bytes.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    public bool IsOk => ErrorCode == 0;

    /// <summary>The same kind of failure, with what exactly was wrong.</summary>
    public CallbackReply WithDetail(string detail) => new(StatusCode, ErrorCode, $"{ErrorInfo} {detail}");

    /// <summary>200 with ErrorCode 0: for after-events the event is safely queued (or not ours to keep); for before-events it means allow.</summary>
    public static readonly CallbackReply Ok = new(200, 0, "");

    public static readonly CallbackReply SdkAppIdMissing = new(403, 40301, "SdkAppid is missing from the query string.");
    public static readonly CallbackReply SdkAppIdNotOurs = new(403, 40302, "SdkAppid in the query string is not this app's SDKAppID.");
    public static readonly CallbackReply SignatureMissing = new(401, 40101, "Sign and RequestTime are required in the query string: callback authentication is on.");
    public static readonly CallbackReply RequestTimeMalformed = new(401, 40102, "RequestTime is not a Unix time in seconds.");
    public static readonly CallbackReply RequestTimeOutsideWindow = new(401, 40103, "RequestTime is too far from the server's clock.");
    public static readonly CallbackReply SignatureMismatch = new(401, 40104, "Sign does not match the configured callback token.");
    public static readonly CallbackReply BodyTooLarge = new(413, 41301, "The request body is larger than the configured limit.");
    public static readonly CallbackReply BodyNotJsonObject = new(400, 40001, "The request body is not a JSON object.");
    public static readonly CallbackReply CallbackCommandMissing = new(400, 40002, "CallbackCommand is missing from both the query string and the body.");
    public static readonly CallbackReply CallbackCommandMismatch = new(400, 40003, "CallbackCommand in the body disagrees with the query string.");
    public static readonly CallbackReply GroupIdMissing = new(400, 40004, "GroupId is missing: the message cannot be identified.");
    public static readonly CallbackReply MessageIdentityMissing = new(400, 40005, "The message cannot be identified: it needs MsgSeq, or MsgId, or From_Account with Random and MsgTime.");
    public static readonly CallbackReply FieldHasWrongType = new(400, 40006, "A field has the wrong JSON type.");
    public static readonly CallbackReply IdentifierTooLong = new(400, 40007, "GroupId, TopicId or MsgId is too long to be stored.");
    public static readonly CallbackReply StorageUnavailable = new(503, 50301, "The event could not be queued: storage is unavailable. Nothing was kept; send it again.");

    public static IReadOnlyList<CallbackReply> All { get; } =
    [
        Ok, SdkAppIdMissing, SdkAppIdNotOurs, SignatureMissing, RequestTimeMalformed, RequestTimeOutsideWindow, SignatureMismatch,
        BodyTooLarge, BodyNotJsonObject, CallbackCommandMissing, CallbackCommandMismatch, GroupIdMissing, MessageIdentityMissing,
        FieldHasWrongType, IdentifierTooLong, StorageUnavailable,
    ];

    private static byte[] Render(string actionStatus, int errorCode, string errorInfo)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("ActionStatus", actionStatus);
            writer.WriteString(nameof(ErrorInfo), errorInfo);
            writer.WriteNumber(nameof(ErrorCode), errorCode);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
