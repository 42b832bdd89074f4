namespace GroupWebhookFunctions.Diagnostics;

/// <summary>
/// Lets one line of a kind through per interval and counts the rest, so a flood of bad requests stays visible as a
/// few lines that say how many there were, rather than as the flood itself.
/// </summary>
public sealed class LogThrottle(TimeProvider clock, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, (DateTimeOffset Next, long Suppressed)> _kinds = [];

    /// <summary>True when a line of <paramref name="kind"/> may be written now; <paramref name="suppressed"/> counts those held back since the last one.</summary>
    public bool TryPass(int kind, out long suppressed)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            var (next, held) = _kinds.GetValueOrDefault(kind);
            if (now < next)
            {
                _kinds[kind] = (next, held + 1);
                suppressed = 0;
                return false;
            }
            _kinds[kind] = (now + interval, 0);
            suppressed = held;
            return true;
        }
    }
}
