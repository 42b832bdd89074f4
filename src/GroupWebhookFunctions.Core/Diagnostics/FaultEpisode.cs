namespace GroupWebhookFunctions.Diagnostics;

/// <summary>What a caller should write after a failure, so that an outage costs a few log lines, not one per request.</summary>
public enum FaultReport
{
    /// <summary>The first failure of an episode, or of a subject not seen failing before: log it with its exception.</summary>
    First,

    /// <summary>A repeat inside the episode: write nothing now; it is counted.</summary>
    Counted,

    /// <summary>A report interval has passed: write one line with <see cref="FaultEpisode.TakeCount"/>.</summary>
    Summary,
}

/// <summary>
/// One run of failures of the same kind, from the first to the next success. Its first failure is reported in full;
/// later ones are counted and summed up once per interval, and the success that ends it is reported once. A subject
/// (one queue message) is reported in full only once, however often it is retried between other messages' successes.
/// </summary>
public sealed class FaultEpisode(TimeProvider clock, TimeSpan reportInterval)
{
    private const int MaxRememberedSubjects = 10_000;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _reportedSubjects = [];
    private bool _open;
    private bool _reported;
    private long _failures;
    private long _unreported;
    private DateTimeOffset _startedAt;
    private DateTimeOffset _lastReportAt;

    public FaultReport Fail(string? subject = null)
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            _failures++;
            var known = subject is not null && _reportedSubjects.Contains(subject);
            if (!_open)
            {
                _open = true;
                _reported = !known;
                _startedAt = _lastReportAt = now;
                _unreported = 0;
                if (!known)
                {
                    Remember(subject);
                    return FaultReport.First;
                }
            }
            _unreported++;
            if (now - _lastReportAt < reportInterval)
                return FaultReport.Counted;
            _lastReportAt = now;
            _reported = true;
            return FaultReport.Summary;
        }
    }

    /// <summary>The failures counted since the last line written about this episode, reset to zero.</summary>
    public long TakeCount()
    {
        lock (_lock)
        {
            var count = _unreported;
            _unreported = 0;
            return count;
        }
    }

    /// <summary>
    /// Ends the episode: how many failures it had and how long it lasted, or null when none was open or nothing of it
    /// was written (a known subject's retry), so that its end needs no line either.
    /// </summary>
    public (long Failures, TimeSpan Duration)? Succeed()
    {
        if (!Volatile.Read(ref _open))
            return null;
        lock (_lock)
        {
            if (!_open)
                return null;
            _open = false;
            (long, TimeSpan)? ended = _reported ? (_failures, clock.GetUtcNow() - _startedAt) : null;
            _failures = 0;
            _unreported = 0;
            return ended;
        }
    }

    private void Remember(string? subject)
    {
        if (subject is null)
            return;
        if (_reportedSubjects.Count >= MaxRememberedSubjects)
            _reportedSubjects.Clear();
        _reportedSubjects.Add(subject);
    }
}
