using GroupWebhookFunctions.TencentChat.Rest;

namespace GroupWebhookFunctions.Importing;

/// <summary>
/// How an import's range below its first page is split so that several pages are fetched at once: into pages of
/// <see cref="GroupHistory.MaxPerCall"/> seqs counted down from the top (page j covers Top - 20j down to Top - 20j - 19),
/// dealt to the chains in turn, so chain k takes pages k-1, k-1+K, k-1+2K, … . The chains' ranges are disjoint and
/// together cover the range, and all of them work near the top, where Tencent still keeps messages: a chain ends when
/// its next page is below the floor or Tencent has nothing at or below it (older messages have expired).
/// </summary>
public static class ImportChains
{
    /// <summary>At most this many chains an import (the host runs up to 16 queue messages at once per instance by default).</summary>
    public const int Max = 16;

    /// <summary>How many chains cover [<paramref name="floor"/>, <paramref name="top"/>]: one per page, at most <see cref="Max"/>.</summary>
    public static int Count(long top, long floor) => (int)Math.Min(Max, Math.Max(1, (top - floor + GroupHistory.MaxPerCall) / GroupHistory.MaxPerCall));

    /// <summary>The top of chain <paramref name="chain"/>'s first page (chains count from 1).</summary>
    public static long FirstUpTo(long top, int chain) => top - (long)GroupHistory.MaxPerCall * (chain - 1);

    /// <summary>The lowest seq of the page that <paramref name="upTo"/> lies in.</summary>
    public static long PageFloor(long top, long floor, long upTo) => Math.Max(floor, PageTop(top, upTo) - GroupHistory.MaxPerCall + 1);

    /// <summary>
    /// Where chain's next call starts after one at <paramref name="upTo"/>: the rest of the same page, else the chain's
    /// next page; null when the chain is done.
    /// </summary>
    public static long? Next(long top, long floor, int chains, long upTo, long? restOfPage, bool nothingBelow)
    {
        if (nothingBelow)
            return null;
        if (restOfPage is { } rest && rest >= PageFloor(top, floor, upTo))
            return rest;
        var next = PageTop(top, upTo) - (long)GroupHistory.MaxPerCall * chains;
        return next >= floor ? next : null;
    }

    private static long PageTop(long top, long upTo) => top - (top - upTo) / GroupHistory.MaxPerCall * GroupHistory.MaxPerCall;
}
