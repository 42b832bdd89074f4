namespace GroupWebhookFunctions.Reconciling;

/// <summary>An inclusive range of seqs.</summary>
public readonly record struct SeqRange(long From, long Through)
{
    public long Count => Through - From + 1;
}

/// <summary>A covered seq (<see cref="Coverage"/>), and its MsgTime (seconds) when it has one.</summary>
public readonly record struct StoredSeq(long Seq, long? MsgTime);

/// <summary>
/// Walks a conversation's covered seqs upward from its watermark, one at a time as the range query reads them: says
/// which missing ranges are gaps, and how far the watermark may move. Pure, and holds only its position, so a range of
/// any size is walked in the memory of one row.
/// </summary>
/// <param name="settledAt">
/// Unix seconds: a missing range is a gap once the covered message after it is older than this, as Tencent numbers
/// messages in the order it receives them. A covered row without MsgTime counts as old.
/// </param>
public sealed class GapWalk(long watermark, long settledAt)
{
    private long _expected = watermark + 1;

    /// <summary>Every seq up to here is covered, or in a gap filled whole.</summary>
    public long CompleteThrough { get; private set; } = watermark;

    /// <summary>A covered message too young to judge the range before it: nothing after it is a gap yet.</summary>
    public bool Ended { get; private set; }

    /// <summary>The next covered seq, in ascending order; returns the gap before it, if there is one to pull.</summary>
    public SeqRange? Next(StoredSeq row)
    {
        if (Ended || row.Seq < _expected)
            return null;
        if (row.Seq == _expected)
        {
            if (CompleteThrough == row.Seq - 1)
                CompleteThrough = row.Seq;
            _expected = row.Seq + 1;
            return null;
        }
        if (row.MsgTime is { } sent && sent > settledAt)
        {
            Ended = true;
            return null;
        }
        var gap = new SeqRange(_expected, row.Seq - 1);
        _expected = row.Seq + 1;
        return gap;
    }

    /// <summary>
    /// The gap <see cref="Next"/> returned holds no hole up to <paramref name="through"/>: the watermark moves into
    /// it, and on through the covered seq after it when it was filled whole.
    /// </summary>
    public void Filled(SeqRange gap, long through)
    {
        if (CompleteThrough != gap.From - 1 || through < gap.From)
            return;
        CompleteThrough = through >= gap.Through ? gap.Through + 1 : through;
    }
}

/// <summary>How a gap is pulled.</summary>
public static class GapFinder
{
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
