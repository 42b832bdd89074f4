namespace GroupWebhookFunctions.Receiving;

public static class RemoteAddress
{
    /// <summary>
    /// The hop the platform's front end added last to X-Forwarded-For; earlier entries are whatever the sender wrote.
    /// Null when the header is absent (a local run).
    /// </summary>
    public static string? FromForwardedFor(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return null;
        var last = header.AsSpan();
        var comma = last.LastIndexOf(',');
        return last[(comma + 1)..].Trim().ToString();
    }
}
