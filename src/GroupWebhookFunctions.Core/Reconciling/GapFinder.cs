namespace GroupWebhookFunctions.Reconciling;

/// <summary>An inclusive range of seqs.</summary>
public readonly record struct SeqRange(long From, long Through)
{
    public long Count => Through - From + 1;
}

/// <summary>A stored row's seq, and its MsgTime (seconds) when it has one.</summary>
public readonly record struct StoredSeq(long Seq, long? MsgTime);

/// <summary>
/// Which seqs after a watermark are missing, and how far the watermark may then move. Pure: the reconciler reads the
/// rows, this decides.
/// </summary>
public static class GapFinder
{
    /// <summary>
    /// The missing ranges in (<paramref name="watermark"/>, <paramref name="latest"/>] that are old enough to be gaps:
    /// a range is a gap once the stored message after it is older than <paramref name="settledAt"/> (Unix seconds), as
    /// Tencent numbers messages in the order it receives them. A row without MsgTime was made by a later event and is old.
    /// </summary>
    public static List<SeqRange> Gaps(long watermark, long latest, IEnumerable<StoredSeq> stored, long settledAt)
    {
        var gaps = new List<SeqRange>();
        var expected = watermark + 1;
        foreach (var row in stored.Where(r => r.Seq > watermark && r.Seq <= latest).OrderBy(r => r.Seq))
        {
            if (row.Seq > expected)
            {
                if (row.MsgTime is { } sent && sent > settledAt)
                    break;
                gaps.Add(new SeqRange(expected, row.Seq - 1));
            }
            expected = Math.Max(expected, row.Seq + 1);
        }
        return gaps;
    }

    /// <summary>The highest seq up to which every seq after <paramref name="watermark"/> is stored or filled.</summary>
    public static long CompleteThrough(long watermark, IEnumerable<long> stored, IEnumerable<SeqRange> filled)
    {
        var seqs = stored.Where(seq => seq > watermark).ToHashSet();
        var ranges = filled.ToDictionary(range => range.From, range => range.Through);
        var complete = watermark;
        while (true)
        {
            if (seqs.Contains(complete + 1))
                complete++;
            else if (ranges.TryGetValue(complete + 1, out var through) && through > complete)
                complete = through;
            else
                return complete;
        }
    }

    /// <summary>
    /// A gap cut into at most <paramref name="parts"/> ranges whose sizes are whole pages (but the last), newest
    /// first, to be pulled side by side: no call is added, and a large gap uses every call the pacer allows.
    /// </summary>
    public static List<SeqRange> Split(SeqRange gap, int parts, int pageSize)
    {
        var pages = (gap.Count + pageSize - 1) / pageSize;
        var pagesPerPart = Math.Max(1, (pages + parts - 1) / parts);
        var ranges = new List<SeqRange>();
        for (var through = gap.Through; through >= gap.From; through -= pagesPerPart * pageSize)
            ranges.Add(new SeqRange(Math.Max(gap.From, through - pagesPerPart * pageSize + 1), through));
        return ranges;
    }
}
