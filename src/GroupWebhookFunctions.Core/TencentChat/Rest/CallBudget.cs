using System.Collections.Concurrent;

namespace GroupWebhookFunctions.TencentChat.Rest;

/// <summary>
/// The app's Tencent call budget, one per instance over the shared <see cref="CallBudgetLedger"/>: <see cref="All"/>
/// holds every call to Reconcile__MaxCallsPerSecond, and a named scope holds one API to its own limit on top (say
/// <c>Scope("get_appid_group_list", 1)</c>), app-wide either way.
/// </summary>
public sealed class CallBudget(CallBudgetLedger ledger, int maxCallsPerSecond, TimeProvider clock) : IDisposable
{
    /// <summary>The scope every call to Tencent waits in.</summary>
    public const string AllCalls = "all";

    private readonly ConcurrentDictionary<string, SharedCallPacer> _scopes = new();

    public CallBudgetLedger Ledger => ledger;

    public SharedCallPacer All => Scope(AllCalls, maxCallsPerSecond);

    /// <summary>The pacer of one scope; the first limit asked for a scope is the one it keeps on this instance.</summary>
    public SharedCallPacer Scope(string name, int maxCallsPerSecond) =>
        _scopes.GetOrAdd(name, static (scope, state) => new SharedCallPacer(state.ledger, scope, state.maxCallsPerSecond, state.clock), (ledger, maxCallsPerSecond, clock));

    public void Dispose()
    {
        foreach (var pacer in _scopes.Values)
            pacer.Dispose();
    }
}
