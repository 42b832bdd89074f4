using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Receiving;

internal static partial class ReceiverLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Acknowledged {CallbackCommand} for GroupId {GroupId} TopicId {TopicId} MsgSeq {MsgSeq} MsgId {MsgId}; envelope of {EnvelopeBytes} bytes queued")]
    public static partial void Acknowledged(ILogger logger, string callbackCommand, string groupId, string? topicId, long msgSeq, string? msgId, int envelopeBytes);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "Rejected a callback with {StatusCode} and ErrorCode {ErrorCode}: {ErrorInfo} (CallbackCommand {CallbackCommand}, ClientIP {ClientIp})")]
    public static partial void Rejected(ILogger logger, int statusCode, int errorCode, string errorInfo, string? callbackCommand, string? clientIp);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Answered OK to {CallbackCommand}, which this app does not handle; nothing was queued")]
    public static partial void NotHandled(ILogger logger, string callbackCommand);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Answered OK to a signed URL verification request that names no SdkAppid")]
    public static partial void UrlVerified(ILogger logger);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error,
        Message = "Could not queue the event for GroupId {GroupId} TopicId {TopicId} MsgSeq {MsgSeq} MsgId {MsgId}; answered 503 so Tencent does not count it delivered")]
    public static partial void EnqueueFailed(ILogger logger, Exception exception, string groupId, string? topicId, long msgSeq, string? msgId);
}
