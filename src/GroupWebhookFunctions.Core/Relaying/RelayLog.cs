using GroupWebhookFunctions.Diagnostics;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Relaying;

public static partial class RelayLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning,
        Message = "The handler gave no usable answer to {CallbackCommand} ({Failure}): Tencent was answered allow, as when its own before-callback fails ({Suppressed} more since the last report)")]
    public static partial void BeforeFellBack(ILogger logger, UntrustedText callbackCommand, string failure, long suppressed);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning,
        Message = "Delivery of {CallbackCommand} to the handler failed ({Failure}) on try {Try}; next try in {Delay} ({Suppressed} more failed tries since the last report)")]
    public static partial void DeliveryRetried(ILogger logger, UntrustedText callbackCommand, string failure, int @try, TimeSpan delay, long suppressed);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error,
        Message = "Delivery of {CallbackCommand} to the handler failed {Tries} times (last: {Failure}): moved it to {PoisonQueue}, where it waits for a replay")]
    public static partial void DeliveryPoisoned(ILogger logger, UntrustedText callbackCommand, int tries, string failure, string poisonQueue);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Error, Message = "A relay-deliveries message cannot be delivered ({Reason}): moved it to {PoisonQueue}")]
    public static partial void DeliveryUnusable(ILogger logger, string reason, string poisonQueue);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information,
        Message = "Relaying to your own handler is on: before-events answered by it within {TimeoutMilliseconds} ms, after-events ({Commands}) delivered from relay-deliveries")]
    public static partial void On(ILogger logger, int timeoutMilliseconds, string commands);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning,
        Message = "Relay__Url is plain http to another machine: every relayed event travels unencrypted. Use https")]
    public static partial void PlainText(ILogger logger);
}
