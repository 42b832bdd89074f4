namespace GroupWebhookFunctions.Reconciling;

/// <summary>
/// What pulling history has done so far: calls made and rows written by kind. Added to as each call returns and each
/// batch of rows is written, by pulls running side by side, so a pull cut short still counts every row it wrote.
/// </summary>
public sealed class PullTally
{
    private int _messages;
    private int _recalled;
    private int _absent;
    private int _calls;

    /// <summary>Rows written from messages Tencent has, recalled ones included.</summary>
    public int Messages => Volatile.Read(ref _messages);

    public int Recalled => Volatile.Read(ref _recalled);

    /// <summary>Rows written as <c>Absent</c>: holes Tencent reports and seqs it skipped or no longer has.</summary>
    public int Absent => Volatile.Read(ref _absent);

    public int Calls => Volatile.Read(ref _calls);

    public void Called() => Interlocked.Increment(ref _calls);

    public void Wrote(int messages, int recalled, int absent)
    {
        Interlocked.Add(ref _messages, messages);
        Interlocked.Add(ref _recalled, recalled);
        Interlocked.Add(ref _absent, absent);
    }
}
