namespace GroupWebhookFunctions.Reconciling.Discovery;

/// <summary>What one discovery run did.</summary>
public sealed record DiscoveryReport(bool Enabled, int Listed, int GroupsFound, int TopicsFound, int Calls, bool ListedAll, string? StoppedBecause)
{
    public static readonly DiscoveryReport Off = new(false, 0, 0, 0, 0, false, null);
}

/// <summary>What a discovery run has done so far.</summary>
internal sealed class DiscoveryTally
{
    public int Listed;
    public int GroupsFound;
    public int TopicsFound;

    /// <summary>Calls other than history pages (directory, profiles, topics); history pages count in <see cref="History"/>.</summary>
    public int Calls;

    public PullTally History { get; } = new();

    public DiscoveryReport Report(bool listedAll, string? stoppedBecause) =>
        new(true, Listed, GroupsFound, TopicsFound, Calls + History.Calls, listedAll, stoppedBecause);
}
