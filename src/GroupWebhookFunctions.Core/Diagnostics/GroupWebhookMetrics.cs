using System.Diagnostics;
using System.Diagnostics.Metrics;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.Diagnostics;

/// <summary>The outcome of one callback, as the metrics and the dashboard count it.</summary>
public static class WebhookOutcome
{
    public const string Acknowledged = "ok";
    public const string NotHandled = "not_handled";
    public const string Refused = "refused";
    public const string Unavailable = "unavailable";
}

/// <summary>
/// The app's metrics (System.Diagnostics.Metrics), exported by OpenTelemetry. Names and units follow OpenTelemetry's
/// conventions: dotted lower-case names, durations in seconds, <c>error.type</c> for what failed. infra/'s workbook
/// and alerts query these names; a test keeps the two equal. Recording waits on nothing: with no listener an
/// instrument does no work. This file holds every name, tag and instrument and what receiving and synchronizing
/// record; reconciling and relaying record through their own files.
/// </summary>
public sealed partial class GroupWebhookMetrics
{
    public const string MeterName = "GroupWebhookFunctions";

    public const string WebhooksReceived = "gwf.webhooks.received";
    public const string AcknowledgementDuration = "gwf.webhooks.acknowledgement.duration";
    public const string SyncLag = "gwf.sync.lag";
    public const string PoisonMoves = "gwf.sync.poisoned";
    public const string StorageFailures = "gwf.storage.failures";
    public const string PoisonReplays = "gwf.poison.replayed";
    public const string ReconcileRows = "gwf.reconcile.rows";
    public const string ReconcileGaps = "gwf.reconcile.gaps";
    public const string ReconcileCalls = "gwf.reconcile.calls";
    public const string ReconcileDiscovered = "gwf.reconcile.discovered";
    public const string ReconcileTailChecks = "gwf.reconcile.tail_checks";
    public const string RelayDeliveries = "gwf.relay.deliveries";
    public const string RelayDeliveryLag = "gwf.relay.delivery.lag";
    public const string RelayBeforeAnswers = "gwf.relay.before.answers";
    public const string RelayBeforeDuration = "gwf.relay.before.duration";

    public const string CommandTag = "gwf.command";
    public const string OutcomeTag = "gwf.outcome";
    public const string ErrorTypeTag = "error.type";
    public const string OperationTag = "gwf.operation";

    /// <summary>The poison queue a message was moved to or replayed from (one of the app's own: bounded).</summary>
    public const string QueueTag = "gwf.queue";

    /// <summary>The upper bound, in seconds, of the lag's bucket: the dashboard reads percentiles off these, Application Insights keeping no histogram buckets of its own.</summary>
    public const string LagBucketTag = "gwf.lag.le";

    /// <summary>Bucket bounds of <see cref="SyncLag"/>, in seconds; the sync-lag alert's threshold is one of them.</summary>
    public static readonly int[] LagBuckets = [1, 5, 15, 30, 60, 120, 300, 600];

    /// <summary>The command tag of anything this app does not handle: a sender cannot grow the tag's values.</summary>
    public const string OtherCommand = "other";

    private readonly Counter<long> _received;
    private readonly Histogram<double> _acknowledgement;
    private readonly Histogram<double> _lag;
    private readonly Counter<long> _poisoned;
    private readonly Counter<long> _storageFailures;
    private readonly Counter<long> _replayed;
    private readonly Counter<long> _reconcileRows;
    private readonly Counter<long> _reconcileGaps;
    private readonly Counter<long> _reconcileCalls;
    private readonly Counter<long> _discovered;
    private readonly Histogram<long> _tailChecks;
    private readonly Counter<long> _relayDeliveries;
    private readonly Histogram<double> _relayLag;
    private readonly Counter<long> _relayBefore;
    private readonly Histogram<double> _relayBeforeDuration;

    public GroupWebhookMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _received = Meter.CreateCounter<long>(WebhooksReceived, "{webhook}", "Callbacks answered, by command and outcome.");
        _acknowledgement = Meter.CreateHistogram<double>(AcknowledgementDuration, "s", "From a callback's arrival in the worker to its answer.");
        _lag = Meter.CreateHistogram<double>(SyncLag, "s", "From the acknowledgement to the event's rows written.");
        _poisoned = Meter.CreateCounter<long>(PoisonMoves, "{event}", "Events and import pages moved to a poison queue, by reason and queue.");
        _storageFailures = Meter.CreateCounter<long>(StorageFailures, "{failure}", "Storage calls that failed and were retried or answered 503.");
        _replayed = Meter.CreateCounter<long>(PoisonReplays, "{event}", "Events moved back from the poison queue by the replay endpoint.");
        _reconcileRows = Meter.CreateCounter<long>(ReconcileRows, "{row}", "Rows written from Tencent's history, by kind (message, recalled, absent) and source (backfill, import).");
        _reconcileGaps = Meter.CreateCounter<long>(ReconcileGaps, "{gap}", "Ranges of missing seqs found by reconcile passes.");
        _reconcileCalls = Meter.CreateCounter<long>(ReconcileCalls, "{call}", "Attempts at calls to Tencent's REST API, by outcome.");
        _discovered = Meter.CreateCounter<long>(ReconcileDiscovered, "{conversation}", "Groups and topics Tencent has that the store lacked, found by discovery, by kind (group, topic).");
        _tailChecks = Meter.CreateHistogram<long>(ReconcileTailChecks, "{conversation}", "Conversations whose newest seq one batched call (get_group_info, get_topic) answered, by kind.");
        _relayDeliveries = Meter.CreateCounter<long>(RelayDeliveries, "{delivery}", "Tries of deliveries to the app's own handler, by outcome (delivered, retried, poisoned).");
        _relayLag = Meter.CreateHistogram<double>(RelayDeliveryLag, "s", "From a callback's arrival to its delivery to the app's own handler.");
        _relayBefore = Meter.CreateCounter<long>(RelayBeforeAnswers, "{webhook}", "Before-events answered, by source: the handler's answer or the fallback (allow).");
        _relayBeforeDuration = Meter.CreateHistogram<double>(RelayBeforeDuration, "s", "From forwarding a before-event to the handler to having Tencent's answer.");
    }

    public Meter Meter { get; }

    public static string CommandTagOf(string? command) =>
        command is not null && HandledCallbacks.Find(command) is { } callback ? callback.Command : OtherCommand;

    public void Answered(string? command, string outcome, int errorCode, long startTimestamp)
    {
        var tags = new TagList { { CommandTag, CommandTagOf(command) }, { OutcomeTag, outcome } };
        if (errorCode != 0)
            tags.Add(ErrorTypeTag, errorCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _received.Add(1, tags);
        _acknowledgement.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    public void Synchronized(string command, TimeSpan lag) => RecordLag(_lag, command, lag);

    /// <summary>Records a lag with its bucket's tag (<see cref="LagBuckets"/>, "inf" above the last).</summary>
    private static void RecordLag(Histogram<double> histogram, string? command, TimeSpan lag)
    {
        var seconds = Math.Max(0, lag.TotalSeconds);
        var bound = LagBuckets.FirstOrDefault(b => seconds <= b);
        var bucket = bound == 0 ? "inf" : bound.ToString(System.Globalization.CultureInfo.InvariantCulture);
        histogram.Record(seconds, new TagList { { CommandTag, CommandTagOf(command) }, { LagBucketTag, bucket } });
    }

    /// <summary>A message moved to <paramref name="poisonQueue"/>; an import page has no command.</summary>
    public void Poisoned(string? command, string reason, string poisonQueue) =>
        _poisoned.Add(1, new TagList { { CommandTag, CommandTagOf(command) }, { ErrorTypeTag, reason }, { QueueTag, poisonQueue } });

    public void StorageFailed(string operation, Exception exception) =>
        _storageFailures.Add(1, new TagList { { OperationTag, operation }, { ErrorTypeTag, exception.GetType().Name } });

    public void Replayed(int count, string poisonQueue) => _replayed.Add(count, new TagList { { QueueTag, poisonQueue } });

    public const string SourceTag = "gwf.source";
    public const string KindTag = "gwf.kind";
}
