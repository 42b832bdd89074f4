using System.Globalization;

namespace GroupWebhookFunctions.Reconciling.Discovery;

/// <summary>
/// Where a listing of the app's groups stopped: the <c>Next</c> a page was asked for with and how many of that page's
/// groups were done. Stored as "next:done", so a page too large for one run is not started over each run.
/// </summary>
public readonly record struct DirectoryCursor(ulong Next, int Done)
{
    public static DirectoryCursor Parse(string? text)
    {
        var parts = (text ?? "").Split(':');
        return parts.Length == 2 && ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var next)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var done)
            ? new DirectoryCursor(next, done)
            : default;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Next}:{Done}");
}
