using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Reconciling.Discovery;

internal static partial class DiscoveryLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information,
        Message = "Discovery listed {Listed} groups and found {GroupsFound} groups and {TopicsFound} topics the store lacked, in {Calls} calls to Tencent; listed all: {ListedAll}.")]
    public static partial void Run(ILogger logger, int listed, int groupsFound, int topicsFound, int calls, bool listedAll);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Discovery used its {MaxPassSeconds} s; the next run goes on from its cursor")]
    public static partial void OutOfTime(ILogger logger, int maxPassSeconds);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "Discovery stopped: {Reason}; the next run goes on from its cursor")]
    public static partial void Stopped(ILogger logger, string reason);
}
