using GroupWebhookFunctions.Reconciling;

namespace GroupWebhookFunctions.Tests.Reconciling;

public class GapFinderTests
{
    private const long Settled = 1000;

    [Fact]
    public void Missing_ranges_between_old_rows_are_gaps()
    {
        var stored = new[] { Old(3), Old(4), Old(8), Old(10) };

        Assert.Equal([new SeqRange(1, 2), new SeqRange(5, 7), new SeqRange(9, 9)], GapFinder.Gaps(0, 10, stored, Settled));
    }

    [Fact]
    public void A_range_before_a_young_row_is_not_a_gap_yet_nor_anything_after_it()
    {
        var stored = new[] { Old(1), Old(3), Young(5), Old(7) };

        Assert.Equal([new SeqRange(2, 2)], GapFinder.Gaps(0, 7, stored, Settled));
    }

    [Fact]
    public void A_row_without_MsgTime_was_made_by_a_later_event_and_counts_as_old()
    {
        var stored = new[] { Old(1), new StoredSeq(4, null) };

        Assert.Equal([new SeqRange(2, 3)], GapFinder.Gaps(0, 4, stored, Settled));
    }

    [Fact]
    public void The_watermark_moves_through_stored_and_filled_seqs_and_stops_at_the_first_hole()
    {
        Assert.Equal(10, GapFinder.CompleteThrough(2, [3, 4, 8, 9, 10], [new SeqRange(5, 7)]));
        Assert.Equal(4, GapFinder.CompleteThrough(2, [3, 4, 8, 9, 10], []));
        Assert.Equal(2, GapFinder.CompleteThrough(2, [4], []));
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
