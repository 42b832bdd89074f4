using System.Diagnostics;

namespace GroupWebhookFunctions.LoadHarness;

/// <summary>One side of a comparison in one round: how fast, how long each operation took, how many requests it sent.</summary>
public sealed record Measurement(int Operations, TimeSpan Elapsed, double[] LatenciesMs, int StorageRequests)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    public double RequestsPerOperation => (double)StorageRequests / Operations;

    private double Percentile(double p)
    {
        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    /// <summary>Runs <paramref name="operation"/> for 0..count-1 with at most <paramref name="concurrency"/> in flight.</summary>
    public static async Task<Measurement> RunAsync(int count, int concurrency, Func<int, Task> operation, Func<int> storageRequests)
    {
        var latencies = new double[count];
        var next = -1;
        var before = storageRequests();
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var start = Stopwatch.GetTimestamp();
                await operation(i);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })));
        total.Stop();
        return new Measurement(count, total.Elapsed, latencies, storageRequests() - before);
    }
}
