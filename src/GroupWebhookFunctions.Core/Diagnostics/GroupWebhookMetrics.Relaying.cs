using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GroupWebhookFunctions.Diagnostics;

/// <summary>What relaying to the app's own handler records.</summary>
public sealed partial class GroupWebhookMetrics
{
    /// <summary>What became of one try of a delivery to the app's own handler.</summary>
    public static class RelayOutcome
    {
        public const string Delivered = "delivered";
        public const string Retried = "retried";
        public const string Poisoned = "poisoned";
    }

    /// <summary>Whose answer Tencent got for a before-event: the handler's, or the fallback (allow).</summary>
    public static class RelaySource
    {
        public const string Handler = "handler";
        public const string Fallback = "fallback";
    }

    /// <summary>One try of a delivery; <paramref name="failure"/> says why it did not succeed.</summary>
    public void RelayTried(string? command, string outcome, string? failure)
    {
        var tags = new TagList { { CommandTag, CommandTagOf(command) }, { OutcomeTag, outcome } };
        if (failure is not null)
            tags.Add(ErrorTypeTag, failure);
        _relayDeliveries.Add(1, tags);
    }

    /// <summary>From Tencent's callback to the handler's 200, in the sync lag's buckets.</summary>
    public void RelayDelivered(string? command, TimeSpan lag) => RecordLag(_relayLag, command, lag);

    /// <summary>A before-event answered from <paramref name="source"/> after <paramref name="startTimestamp"/>.</summary>
    public void RelayAnsweredBefore(string source, string? failure, long startTimestamp)
    {
        var tags = new TagList { { SourceTag, source } };
        if (failure is not null)
            tags.Add(ErrorTypeTag, failure);
        _relayBefore.Add(1, tags);
        _relayBeforeDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }
}
