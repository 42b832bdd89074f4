using System.Text.Json;

namespace GroupWebhookFunctions.TencentChat;

/// <summary>An answer to Tencent: an HTTP status and the JSON body Tencent reads (ActionStatus, ErrorCode, ErrorInfo).</summary>
public sealed class CallbackReply
{
    private CallbackReply(int statusCode, int errorCode, string errorInfo, ReadOnlyMemory<byte> body)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorInfo = errorInfo;
        Body = body;
    }

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

    /// <summary>A 200 whose body is another's JSON answer, passed on unchanged (the app's own handler's, for a before-event).</summary>
    public static CallbackReply Verbatim(ReadOnlyMemory<byte> body) => new(200, 0, "", body);

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
    public static readonly CallbackReply IdentifierTooLong = new(400, 40007, "GroupId and TopicId, or MsgId, are too long to be a table key (over 512 characters once escaped).");
    public static readonly CallbackReply BodyUnreadable = new(400, 40008, "The request body could not be read in full: it ended before its Content-Length, or the connection broke.");
    public static readonly CallbackReply QueryParameterRepeated = new(400, 40009, "A query parameter that Tencent sends once appears more than once.");
    public static readonly CallbackReply TextNotWellFormed = new(400, 40010, "A string or property name is not well-formed UTF-8, or holds half of a surrogate pair.");
    public static readonly CallbackReply NestedTooDeep = new(400, 40011, "The body nests objects and arrays deeper than 32 levels.");
    public static readonly CallbackReply ElementNotObject = new(400, 40012, "Every element of MsgBody must be a JSON object.");
    public static readonly CallbackReply FieldRepeated = new(400, 40013, "A documented field appears more than once in the body.");
    public static readonly CallbackReply RecallListUnusable = new(400, 40020, "MsgSeqList must name at least one recalled message, each by MsgSeq (or, in an AVChatRoom, MsgId).");
    public static readonly CallbackReply ExtensionUnusable = new(400, 40021, "A message extension event needs MsgSeq, Seq, an OperateType of 1, 2 or 3, and a Key in every entry of ExtensionList.");
    public static readonly CallbackReply ReadReceiptUnusable = new(400, 40022, "GroupMsgReceiptList must hold at least one entry, each with a MsgSeq, and every reader a Member_Account.");
    public static readonly CallbackReply TopicListUnusable = new(400, 40023, "TopicIdList must name at least one topic, none empty.");
    public static readonly CallbackReply SendFailureUnusable = new(400, 40024, "A send failure needs its ErrorCode.");
    public static readonly CallbackReply StorageUnavailable = new(503, 50301, "Storage did not confirm the event in time, so it may not have been kept. Send it again: a repeat is stored only once.");
    public static readonly CallbackReply UnexpectedFault = new(503, 50302, "An unexpected fault stopped the event, so it may not have been kept. Send it again: a repeat is stored only once.");

    public static IReadOnlyList<CallbackReply> All { get; } =
    [
        Ok, SdkAppIdMissing, SdkAppIdNotOurs, SignatureMissing, RequestTimeMalformed, RequestTimeOutsideWindow, SignatureMismatch,
        BodyTooLarge, BodyNotJsonObject, CallbackCommandMissing, CallbackCommandMismatch, GroupIdMissing, MessageIdentityMissing,
        FieldHasWrongType, IdentifierTooLong, BodyUnreadable, QueryParameterRepeated, TextNotWellFormed, NestedTooDeep, ElementNotObject,
        FieldRepeated, RecallListUnusable, ExtensionUnusable, ReadReceiptUnusable, TopicListUnusable, SendFailureUnusable, StorageUnavailable, UnexpectedFault,
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
