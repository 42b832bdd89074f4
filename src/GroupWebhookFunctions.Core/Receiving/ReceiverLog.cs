using GroupWebhookFunctions.Diagnostics;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Receiving;

/// <summary>Every value that came from a request is logged as <see cref="UntrustedText"/>: escaped and cut short.</summary>
internal static partial class ReceiverLog
{
    // Metrics count every callback; the line per acknowledgement is for following one message (turn Debug on to see it).
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug,
        Message = "Acknowledged {CallbackCommand} for GroupId {GroupId} TopicId {TopicId} MsgSeq {MsgSeq} MsgId {MsgId}; envelope of {EnvelopeBytes} bytes queued")]
    public static partial void Acknowledged(ILogger logger, UntrustedText callbackCommand, UntrustedText groupId, UntrustedText topicId, long msgSeq, UntrustedText msgId, int envelopeBytes);

    // At most one line per ErrorCode a minute, saying how many more there were.
    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "Refused a callback with {StatusCode} and ErrorCode {ErrorCode}: {ErrorInfo} (CallbackCommand {CallbackCommand}, ClientIP {ClientIp}, from {RemoteAddress}); {Suppressed} more with this ErrorCode since the last such line")]
    public static partial void Refused(ILogger logger, int statusCode, int errorCode, string errorInfo, UntrustedText callbackCommand, UntrustedText clientIp, UntrustedText remoteAddress, long suppressed);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning,
        Message = "Refused a callback with {StatusCode} and ErrorCode {ErrorCode} before its signature was verified, from {RemoteAddress}; {Suppressed} more with this ErrorCode since the last such line")]
    public static partial void RefusedUnverified(ILogger logger, int statusCode, int errorCode, UntrustedText remoteAddress, long suppressed);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Answered OK to {CallbackCommand}, which this app does not handle; nothing was queued")]
    public static partial void NotHandled(ILogger logger, UntrustedText callbackCommand);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Answered OK to a signed URL verification request that names no SdkAppid")]
    public static partial void UrlVerified(ILogger logger);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error,
        Message = "Answered 503 with ErrorCode {ErrorCode} (GroupId {GroupId} TopicId {TopicId} MsgSeq {MsgSeq} MsgId {MsgId}), so Tencent does not count the event delivered; further failures are counted until storage answers again")]
    public static partial void FaultStarted(ILogger logger, Exception exception, int errorCode, UntrustedText groupId, UntrustedText topicId, long msgSeq, UntrustedText msgId);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning,
        Message = "Still failing: {Failures} more callbacks answered 503 since the last report (latest ErrorCode {ErrorCode}, {ExceptionType})")]
    public static partial void FaultContinues(ILogger logger, long failures, int errorCode, string exceptionType);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning,
        Message = "Callbacks are acknowledged again after {Failures} answered 503 over {Duration}")]
    public static partial void Recovered(ILogger logger, long failures, TimeSpan duration);
}
