using Azure.Data.Tables;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using static GroupWebhookFunctions.Synchronizing.GroupMessageColumns;

namespace GroupWebhookFunctions.Tests.Synchronizing;

public class RowMergeHistoryTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-26T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void History_never_overwrites_what_a_webhook_stored()
    {
        var webhook = Row((GroupMessageFields.MsgBody, "[1]"), (GroupMessageFields.MsgId, "m"), (ReceivedAt, At));

        Assert.Null(RowMerge.Backfill(webhook, History((GroupMessageFields.MsgBody, "[2]"), (GroupMessageFields.FromAccount, "x")), eraseRecalled: false));
    }

    [Fact]
    public void History_marks_a_stored_message_recalled_when_the_recall_webhook_was_lost()
    {
        var webhook = Row((GroupMessageFields.MsgBody, "[1]"), (ReceivedAt, At));

        var merged = RowMerge.Backfill(webhook, History((Recalled, true)), eraseRecalled: true)!;

        Assert.True(merged.GetBoolean(Recalled));
        Assert.False(merged.ContainsKey(GroupMessageFields.MsgBody));
    }

    [Fact]
    public void History_fills_in_a_row_a_later_event_made_first_and_keeps_what_that_event_said()
    {
        var recalledFirst = Row((Recalled, true), (RecalledAt, 5L), (GroupMessageFields.MsgSeq, 2L));

        var merged = RowMerge.Backfill(recalledFirst, History((GroupMessageFields.MsgBody, "[2]"), (GroupMessageFields.FromAccount, "x"), (RecalledAt, 9L)), eraseRecalled: false)!;

        Assert.Equal(("[2]", "x", 5L), (merged.GetString(GroupMessageFields.MsgBody), merged.GetString(GroupMessageFields.FromAccount), merged.GetInt64(RecalledAt)!.Value));
        Assert.Null(RowMerge.Backfill(merged, History((GroupMessageFields.MsgBody, "[3]")), eraseRecalled: false));
    }

    [Fact]
    public void An_edit_keeps_the_first_version_and_ignores_spacing()
    {
        var stored = Row((GroupMessageFields.MsgBody, """[{"MsgType":"TIMTextElem","MsgContent":{"Text":"a"}}]"""), (GroupMessageFields.CloudCustomData, "c1"));

        Assert.Null(RowMerge.Edit(stored, """[ { "MsgType": "TIMTextElem", "MsgContent": { "Text": "a" } } ]""", null, 1));
        var edited = RowMerge.Edit(stored, """[{"MsgType":"TIMTextElem","MsgContent":{"Text":"b"}}]""", "c2", 7)!;
        var again = RowMerge.Edit(edited, """[{"MsgType":"TIMTextElem","MsgContent":{"Text":"c"}}]""", "c2", 9)!;

        Assert.Equal(("b", "c2", true, 7L), (edited.GetString(Text), edited.GetString(GroupMessageFields.CloudCustomData), edited.GetBoolean(Edited)!.Value, edited.GetInt64(EditedAt)!.Value));
        Assert.Contains("\"a\"", again.GetString(OriginalMsgBody));
        Assert.Equal("c1", again.GetString(OriginalCloudCustomData));
        Assert.Equal("c", again.GetString(Text));
        // History that does not carry CloudCustomData leaves the row's as it is.
        Assert.Equal("c1", RowMerge.Edit(stored, """[{"MsgType":"TIMTextElem","MsgContent":{"Text":"d"}}]""", null, 11)!.GetString(GroupMessageFields.CloudCustomData));
    }

    [Fact]
    public void A_summary_moved_on_describes_only_the_new_message_and_keeps_what_is_said_of_the_group()
    {
        var stored = Row((GroupMessageFields.MsgSeq, 3L), (GroupMessageFields.MsgTime, 30L), (GroupMessageFields.EventTime, 30_017L), (GroupMessageFields.MsgId, "m3"),
            (GroupMessageFields.FromAccount, "ann"), (GroupMessageFields.Type, "Public"), (CompleteThroughSeq, 3L), (Disbanded, true));
        var fromHistory = new GroupSummary("p", "0000000000000000002", "g", null, null, 5, 50, null, "bob", null);

        var moved = RowMerge.AdvanceSummary(stored, fromHistory, At)!;

        Assert.Equal((5L, 50L, "bob", "Public", 3L, true), (moved.GetInt64(GroupMessageFields.MsgSeq)!.Value, moved.GetInt64(GroupMessageFields.MsgTime)!.Value,
            moved.GetString(GroupMessageFields.FromAccount), moved.GetString(GroupMessageFields.Type), moved.GetInt64(CompleteThroughSeq)!.Value, moved.GetBoolean(Disbanded)!.Value));
        Assert.False(moved.ContainsKey(GroupMessageFields.MsgId));
        Assert.False(moved.ContainsKey(GroupMessageFields.EventTime));
        Assert.Null(RowMerge.AdvanceSummary(moved, fromHistory with { MsgSeq = 4 }, At));
    }

    private static TableEntity Row(params (string Name, object Value)[] columns)
    {
        var row = new TableEntity("p", "0000000000000000002");
        foreach (var (name, value) in columns)
            row[name] = value;
        return row;
    }

    private static TableEntity History(params (string Name, object Value)[] columns)
    {
        var row = Row(columns);
        row[BackfilledAt] = At;
        return row;
    }
}
