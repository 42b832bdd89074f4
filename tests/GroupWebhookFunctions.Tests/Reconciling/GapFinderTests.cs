using GroupWebhookFunctions.Reconciling;

namespace GroupWebhookFunctions.Tests.Reconciling;

public class GapFinderTests
{
    private const long Settled = 1000;

    /// <summary>Walks the rows, filling each gap whole (or up to <paramref name="filledThrough"/> where it says), as the reconciler does.</summary>
    private static (List<SeqRange> Gaps, long CompleteThrough, bool Ended) Walk(long watermark, IEnumerable<StoredSeq> rows, Func<SeqRange, long>? filledThrough = null)
    {
        var walk = new GapWalk(watermark, Settled);
        var gaps = new List<SeqRange>();
        foreach (var row in rows)
        {
            if (walk.Next(row) is { } gap)
            {
                gaps.Add(gap);
                walk.Filled(gap, filledThrough?.Invoke(gap) ?? gap.Through);
            }
            else if (walk.Ended)
            {
                break;
            }
        }
        return (gaps, walk.CompleteThrough, walk.Ended);
    }

    [Fact]
    public void Missing_ranges_before_old_rows_are_gaps_and_the_watermark_moves_through_them_once_filled()
    {
        var (gaps, complete, _) = Walk(0, [Old(3), Old(4), Old(8), Old(10)]);

        Assert.Equal([new SeqRange(1, 2), new SeqRange(5, 7), new SeqRange(9, 9)], gaps);
        Assert.Equal(10, complete);
    }

    [Fact]
    public void A_range_before_a_young_row_is_not_a_gap_yet_and_the_walk_ends_there()
    {
        var (gaps, complete, ended) = Walk(0, [Old(1), Old(3), Young(5), Old(7)]);

        Assert.Equal([new SeqRange(2, 2)], gaps);
        Assert.Equal(3, complete);
        Assert.True(ended);
    }

    [Fact]
    public void Consecutive_young_rows_are_no_reason_to_stop()
    {
        var (gaps, complete, ended) = Walk(0, [Old(1), Young(2), Young(3)]);

        Assert.Empty(gaps);
        Assert.Equal(3, complete);
        Assert.False(ended);
    }

    [Fact]
    public void A_covered_row_without_MsgTime_counts_as_old()
    {
        Assert.Equal([new SeqRange(2, 3)], Walk(0, [Old(1), new StoredSeq(4, null)]).Gaps);
    }

    [Fact]
    public void The_watermark_stops_inside_a_gap_filled_only_part_way_and_moves_no_further()
    {
        var (gaps, complete, _) = Walk(2, [Old(3), Old(4), Old(10), Old(11), Old(20)], gap => gap.From == 5 ? 7 : gap.Through);

        Assert.Equal([new SeqRange(5, 9), new SeqRange(12, 19)], gaps);
        Assert.Equal(7, complete);
    }

    [Fact]
    public void A_gap_filled_with_nothing_leaves_the_watermark_below_it()
    {
        Assert.Equal(4, Walk(2, [Old(3), Old(4), Old(8), Old(9)], gap => gap.From - 1).CompleteThrough);
    }

    private static StoredSeq Old(long seq) => new(seq, Settled - 60);

    private static StoredSeq Young(long seq) => new(seq, Settled + 60);

    [Fact]
    public void A_gap_is_split_into_whole_pages_newest_first_covering_it_exactly()
    {
        Assert.Equal([new SeqRange(61, 100), new SeqRange(21, 60), new SeqRange(1, 20)], GapFinder.Split(new SeqRange(1, 100), 3, 20));
        Assert.Equal([new SeqRange(3, 9)], GapFinder.Split(new SeqRange(3, 9), 4, 20));
        Assert.Equal(4001, GapFinder.Split(new SeqRange(1, 4001), 4, 20).Sum(r => r.Count));
        Assert.All(GapFinder.Split(new SeqRange(1, 4001), 4, 20).SkipLast(1), part => Assert.Equal(0, part.Count % 20));
    }
}
