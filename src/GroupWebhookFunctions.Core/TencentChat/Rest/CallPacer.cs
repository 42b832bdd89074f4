namespace GroupWebhookFunctions.TencentChat.Rest;

/// <summary>
/// Keeps this instance's calls to Tencent at or under a number per second, in every one-second window: it remembers
/// when the last N calls started and holds a call until the oldest of them is a second old. Everything that calls
/// Tencent shares the one pacer (reconcile passes and imports), so together they stay inside the app's share.
/// </summary>
public sealed class CallPacer : ICallPacer, IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _clock;
    private readonly long[] _starts;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private int _next;

    public CallPacer(int maxCallsPerSecond, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCallsPerSecond, 1);
        _clock = clock;
        _starts = new long[maxCallsPerSecond];
        Array.Fill(_starts, long.MinValue);
    }

    public int MaxCallsPerSecond => _starts.Length;

    /// <summary>Waits for this call's turn; callers are served in order.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // _starts[_next] is the oldest of the last N starts: this call may begin one window after it.
            var oldest = _starts[_next];
            TimeSpan wait;
            while (oldest != long.MinValue && (wait = Window - _clock.GetElapsedTime(oldest)) > TimeSpan.Zero)
                await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
            _starts[_next] = _clock.GetTimestamp();
            _next = (_next + 1) % _starts.Length;
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();
}
