using System.Diagnostics;

namespace GroupWebhookFunctions.HostTests.Hosting;

/// <summary>
/// Notes when this process (which runs the REST double) was not running its threads or its thread pool on time. A
/// stalled double answers its backlog at once afterwards and stamps those calls together, so a count of calls per
/// second is only a measurement away from stalls. Sampled every few milliseconds on a thread of its own and on the pool.
/// </summary>
public sealed class StallWatch : IDisposable
{
    /// <summary>A gap between samples longer than this is a stall.</summary>
    public static readonly TimeSpan Threshold = TimeSpan.FromMilliseconds(100);

    private readonly List<(long From, long To)> _stalls = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly Task _pool;

    public StallWatch()
    {
        _thread = new Thread(() => Sample(() => Thread.Sleep(5))) { IsBackground = true, Priority = ThreadPriority.Highest };
        _thread.Start();
        _pool = Task.Run(async () =>
        {
            var last = Stopwatch.GetTimestamp();
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(5).ConfigureAwait(false);
                last = Note(last);
            }
        });
    }

    /// <summary>Whether a call stamped at <paramref name="timestamp"/> may have been stamped late: during a stall or just after one.</summary>
    public bool Affected(long timestamp)
    {
        lock (_stalls)
            return _stalls.Any(stall => timestamp >= stall.From && timestamp <= stall.To + Stopwatch.Frequency / 10);
    }

    public int Count
    {
        get
        {
            lock (_stalls)
                return _stalls.Count;
        }
    }

    private void Sample(Action pause)
    {
        var last = Stopwatch.GetTimestamp();
        while (!_stop.IsCancellationRequested)
        {
            pause();
            last = Note(last);
        }
    }

    private long Note(long last)
    {
        var now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(last, now) > Threshold)
        {
            lock (_stalls)
                _stalls.Add((last, now));
        }
        return now;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _pool.Wait();
        _stop.Dispose();
    }
}
