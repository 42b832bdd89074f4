namespace GroupWebhookFunctions.Reconciling;

/// <summary>How the store is reconciled with Tencent's history (configuration section "Reconcile").</summary>
public sealed class ReconcileOptions
{
    public const string SectionName = "Reconcile";

    /// <summary>The timer's binding expression: the schedule is the setting Reconcile__Schedule.</summary>
    public const string ScheduleExpression = "%Reconcile:Schedule%";

    /// <summary>What the sample settings and infra/ set: the Functions host itself has no default for the timer.</summary>
    public const string DefaultSchedule = "0 */5 * * * *";

    /// <summary>The discovery timer's binding expression: the schedule is the setting Reconcile__DiscoverSchedule.</summary>
    public const string DiscoverScheduleExpression = "%Reconcile:DiscoverSchedule%";

    /// <summary>Hourly: what the sample settings and infra/ set for Reconcile__DiscoverSchedule.</summary>
    public const string DefaultDiscoverSchedule = "0 0 * * * *";

    /// <summary>
    /// NCRONTAB (six fields) of the reconcile pass; read by the timer binding, shown here for the health report. Null
    /// when the setting is absent: the host then keeps the timer function in error and no pass runs.
    /// </summary>
    public string? Schedule { get; set; }

    /// <summary>A missing seq younger than this is not a gap yet: webhooks arrive concurrently and out of order.</summary>
    public int GraceSeconds { get; set; } = 120;

    /// <summary>How long a group stays without a webhook before its newest seq is asked for once (the tail check).</summary>
    public int QuietMinutes { get; set; } = 10;

    /// <summary>Calls per second to Tencent from one instance, all callers together; Tencent allows 200 per API for the whole app.</summary>
    public int MaxCallsPerSecond { get; set; } = 20;

    /// <summary>Re-pull the messages of groups active within this many hours to find edits; 0 is off.</summary>
    public int RecheckHours { get; set; }

    /// <summary>How long one call to Tencent may take before it counts as failed.</summary>
    public int CallTimeoutSeconds { get; set; } = 10;

    /// <summary>Retries of a failed call, with jittered exponential backoff from <see cref="RetryDelayMilliseconds"/>.</summary>
    public int MaxRetries { get; set; } = 3;

    public int RetryDelayMilliseconds { get; set; } = 500;

    /// <summary>How long to wait after Tencent's 70050 (signature failures, locked for a minute).</summary>
    public int LockoutSeconds { get; set; } = 60;

    /// <summary>Conversations reconciled at the same time in a pass; the call rate is shared whatever this is.</summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>
    /// How long one pass may run before it stops and leaves the rest to the next: below host.json's functionTimeout
    /// (5 minutes), which would otherwise end the invocation and restart the worker under the webhooks.
    /// </summary>
    public int MaxPassSeconds { get; set; } = 240;

    /// <summary>NCRONTAB of the discovery run (DiscoverGroups); null when the setting is absent (no discovery runs).</summary>
    public string? DiscoverSchedule { get; set; }

    /// <summary>Groups asked for per <c>get_appid_group_list</c> page: Tencent's maximum is 10,000.</summary>
    public int DiscoverPageSize { get; set; } = 10_000;

    /// <summary>
    /// Conversations a pass gathers (streaming GroupSummaries) before reconciling them side by side; its cursor moves
    /// after each such chunk, so a pass out of time redoes at most one chunk's worth of reading.
    /// </summary>
    public int PassChunkSize { get; set; } = 500;

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (GraceSeconds < 0)
            problems.Add("Reconcile:GraceSeconds must be 0 or more.");
        if (QuietMinutes < 1)
            problems.Add("Reconcile:QuietMinutes must be at least 1.");
        if (MaxCallsPerSecond is < 1 or > 200)
            problems.Add("Reconcile:MaxCallsPerSecond must be from 1 to 200 (Tencent's limit per API for the whole app).");
        if (RecheckHours < 0)
            problems.Add("Reconcile:RecheckHours must be 0 (off) or more.");
        if (CallTimeoutSeconds < 1 || MaxRetries < 0 || RetryDelayMilliseconds < 0 || LockoutSeconds < 0 || Parallelism < 1 || MaxPassSeconds < 1)
            problems.Add("Reconcile:CallTimeoutSeconds, Reconcile:Parallelism and Reconcile:MaxPassSeconds must be at least 1, and the retry settings 0 or more.");
        if (PassChunkSize < 1)
            problems.Add("Reconcile:PassChunkSize must be at least 1.");
        if (DiscoverPageSize is < 1 or > 10_000)
            problems.Add("Reconcile:DiscoverPageSize must be from 1 to 10000 (Tencent's maximum page of get_appid_group_list).");
        return problems;
    }
}
