namespace GroupWebhookFunctions.Reconciling.Discovery;

/// <summary>What discovery adds to a GroupSummaries row it writes for a group or topic the store never saw.</summary>
public static class DiscoveredColumns
{
    /// <summary>When discovery wrote the row: no webhook of the group or topic had reached the store.</summary>
    public const string DiscoveredAt = "DiscoveredAt";

    /// <summary>
    /// On a topic-enabled Community's own row: its history lives in its topics, each with a row of its own, so the
    /// community's row is never pulled (its topics are).
    /// </summary>
    public const string TopicsEnabled = "TopicsEnabled";
}
