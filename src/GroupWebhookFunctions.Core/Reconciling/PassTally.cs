namespace GroupWebhookFunctions.Reconciling;

/// <summary>What a reconcile pass has done so far, added to by the conversations reconciled side by side.</summary>
internal sealed class PassTally
{
    public int Checked;
    public int Gaps;
    public int Backfilled;
    public int Recalled;
    public int Absent;
    public int TailChecks;
    public int TailCheckCalls;
    public int Rechecked;
    public int Edited;
    public int Calls;
    public int Errors;
    private string? _stoppedBecause;

    public void Add(int gaps, PullTally pulled)
    {
        Interlocked.Add(ref Gaps, gaps);
        Interlocked.Add(ref Backfilled, pulled.Messages);
        Interlocked.Add(ref Recalled, pulled.Recalled);
        Interlocked.Add(ref Absent, pulled.Absent);
        Interlocked.Add(ref Calls, pulled.Calls);
    }

    public void Stop(string reason) => Interlocked.CompareExchange(ref _stoppedBecause, reason, null);

    public ReconcileReport Report() =>
        new(true, Checked, Gaps, Backfilled, Recalled, Absent, TailChecks, Rechecked, Edited, Calls, Errors + (_stoppedBecause is null ? 0 : 1), _stoppedBecause, TailCheckCalls);
}
