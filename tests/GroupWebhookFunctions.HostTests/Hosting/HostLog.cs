using System.Text.RegularExpressions;

namespace GroupWebhookFunctions.HostTests.Hosting;

/// <summary>One entry of the host's console log: "fail: Category[EventId]" and the indented lines under it.</summary>
public sealed record HostLogEntry(string Level, string Category, string Text)
{
    public bool IsError => Level is "fail" or "crit";

    public int Lines => Text.Count(c => c == '\n') + 1;

    public override string ToString() => $"{Level}: {Category}\n{Text}";
}

/// <summary>
/// Everything the host process writes to stdout and stderr (its own log and, through it, the worker's), kept in
/// order; positions let a test look at what was written while it ran.
/// </summary>
public sealed partial class HostLog : IDisposable
{
    private readonly List<string> _lines = [];
    private readonly StreamWriter? _copy;

    public HostLog(string? copyPath = null)
    {
        if (copyPath is not null)
            _copy = new StreamWriter(copyPath, append: true) { AutoFlush = true };
    }

    public int Position
    {
        get { lock (_lines) return _lines.Count; }
    }

    public void Add(string? line)
    {
        if (line is null)
            return;
        lock (_lines)
        {
            _lines.Add(line);
            _copy?.WriteLine(line);
        }
    }

    public IReadOnlyList<string> LinesSince(int position, int? end = null)
    {
        lock (_lines)
            return _lines.GetRange(position, (end ?? _lines.Count) - position);
    }

    public bool Contains(string text, int since = 0) => LinesSince(since).Any(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>The entries written since <paramref name="position"/> (up to <paramref name="end"/>); lines outside any entry ("[local-host] ...") are left out.</summary>
    public IReadOnlyList<HostLogEntry> EntriesSince(int position, int? end = null)
    {
        var entries = new List<HostLogEntry>();
        string? level = null, category = null;
        var text = new List<string>();
        foreach (var line in LinesSince(position, end))
        {
            var header = EntryHeader().Match(line);
            if (header.Success || !line.StartsWith(' '))
            {
                if (level is not null)
                    entries.Add(new HostLogEntry(level, category!, string.Join('\n', text)));
                (level, category) = header.Success ? (header.Groups[1].Value, header.Groups[2].Value) : (null, null);
                text.Clear();
                continue;
            }
            if (level is not null)
                text.Add(line.Trim());
        }
        if (level is not null)
            entries.Add(new HostLogEntry(level, category!, string.Join('\n', text)));
        return entries;
    }

    public async Task<bool> WaitForAsync(string text, TimeSpan timeout, int since = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Contains(text, since))
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(200);
        }
        return true;
    }

    public void Dispose() => _copy?.Dispose();

    public override string ToString()
    {
        lock (_lines)
            return string.Join('\n', _lines.TakeLast(200));
    }

    [GeneratedRegex(@"^(trce|dbug|info|warn|fail|crit): (\S+?)\[\d+\]")]
    private static partial Regex EntryHeader();
}
