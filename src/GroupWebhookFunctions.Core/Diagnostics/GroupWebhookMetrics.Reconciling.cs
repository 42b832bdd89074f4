using System.Diagnostics;

namespace GroupWebhookFunctions.Diagnostics;

/// <summary>What reconciling, discovery and imports record.</summary>
public sealed partial class GroupWebhookMetrics
{
    public void HistoryWritten(string source, int messages, int recalled, int absent)
    {
        if (messages - recalled > 0)
            _reconcileRows.Add(messages - recalled, new TagList { { SourceTag, source }, { KindTag, "message" } });
        if (recalled > 0)
            _reconcileRows.Add(recalled, new TagList { { SourceTag, source }, { KindTag, "recalled" } });
        if (absent > 0)
            _reconcileRows.Add(absent, new TagList { { SourceTag, source }, { KindTag, "absent" } });
    }

    public void GapsFound(int gaps) => _reconcileGaps.Add(gaps);

    /// <summary>One attempt at a call to Tencent: "ok", or what its failure means.</summary>
    public void TencentCalled(string outcome) => _reconcileCalls.Add(1, new TagList { { OutcomeTag, outcome } });

    /// <summary>Discovery wrote a row for a group or topic (<see cref="DiscoveryKind"/>) the store lacked.</summary>
    public void Discovered(string kind) => _discovered.Add(1, new TagList { { KindTag, kind } });

    /// <summary>One batched tail-check call answered for <paramref name="conversations"/> groups or topics.</summary>
    public void TailChecked(string kind, int conversations) => _tailChecks.Record(conversations, new TagList { { KindTag, kind } });
}

/// <summary>The kind tag of discovery and tail-check metrics.</summary>
public static class DiscoveryKind
{
    public const string Group = "group";
    public const string Topic = "topic";
}
