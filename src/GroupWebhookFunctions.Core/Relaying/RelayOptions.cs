namespace GroupWebhookFunctions.Relaying;

/// <summary>Relaying to the app's own webhook handler (configuration section "Relay"); off while <see cref="Url"/> is empty.</summary>
public sealed class RelayOptions
{
    public const string SectionName = "Relay";

    /// <summary>What Tencent's before-events contain in their command name; every other command is an after-event.</summary>
    public const string BeforeMarker = ".CallbackBefore";

    /// <summary>The handler's URL: https, or plain http for a stand-in on this machine. Empty leaves relaying off.</summary>
    public string? Url { get; set; }

    /// <summary>How long a before-event waits for the handler before Tencent is answered with the fallback (allow).</summary>
    public int BeforeTimeoutMilliseconds { get; set; } = 1200;

    /// <summary>Comma-separated after-event commands to deliver; empty delivers every after-event.</summary>
    public string? Commands { get; set; }

    /// <summary>Tries of one delivery before it moves to relay-deliveries-poison.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait before the second try; each later wait is four times the one before, at most an hour.</summary>
    public int RetryDelaySeconds { get; set; } = 5;

    /// <summary>How long one delivery may take before it counts as failed.</summary>
    public int DeliveryTimeoutSeconds { get; set; } = 10;

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    public bool IsOn => !string.IsNullOrWhiteSpace(Url);

    /// <summary>Whether events would travel unencrypted beyond this machine.</summary>
    public bool UrlIsPlainText => Uri.TryCreate(Url, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback;

    public static bool IsBefore(string command) => command.Contains(BeforeMarker, StringComparison.Ordinal);

    /// <summary>Whether an after-event of this command is delivered to the handler.</summary>
    public bool Delivers(string command)
    {
        if (!IsOn || IsBefore(command))
            return false;
        var selected = SelectedCommands;
        return selected.Count == 0 || selected.Contains(command);
    }

    private HashSet<string>? _selected;

    private HashSet<string> SelectedCommands => _selected ??=
        [.. (Commands ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The wait before try number <paramref name="nextTry"/> (2 or more).</summary>
    public TimeSpan RetryDelay(int nextTry)
    {
        var seconds = RetryDelaySeconds * Math.Pow(4, Math.Max(0, nextTry - 2));
        return seconds >= MaxRetryDelay.TotalSeconds ? MaxRetryDelay : TimeSpan.FromSeconds(seconds);
    }

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (IsOn && (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
            problems.Add("Relay:Url must be an absolute https URL of your own webhook handler (plain http only for a handler on this machine), or empty to leave relaying off.");
        if (BeforeTimeoutMilliseconds is < 100 or > 1900)
            problems.Add("Relay:BeforeTimeoutMilliseconds must be between 100 and 1900, inside Tencent's 2-second wait.");
        if (MaxAttempts < 1)
            problems.Add("Relay:MaxAttempts must be at least 1.");
        if (RetryDelaySeconds < 0)
            problems.Add("Relay:RetryDelaySeconds must be 0 or more.");
        if (DeliveryTimeoutSeconds is < 1 or > 240)
            problems.Add("Relay:DeliveryTimeoutSeconds must be from 1 to 240, below the function timeout.");
        if (SelectedCommands.Any(IsBefore))
            problems.Add("Relay:Commands names after-events only: before-events are always relayed while Relay:Url is set.");
        return problems;
    }
}
