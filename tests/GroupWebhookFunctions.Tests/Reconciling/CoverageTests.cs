using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Reconciling;

/// <summary>A seq is covered by a row holding its send, its history or its absence; a row a later event made holds none of these.</summary>
public class CoverageTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Group = "@TGS#1COVERAGE";

    public static TheoryData<string, string> LaterEvents => new()
    {
        { AfterReadReceipt.Command, LifecycleSamples.ReadReceiptOf(3, 1, 6, """{"Member_Account":"user0"}""", Group) },
        { AfterGroupMsgExtension.Command, LifecycleSamples.ExtensionOf(3, 1, 56, """{"Key":"like","Value":"1","Seq":56}""", Group) },
        { AfterRecallMsg.Command, LifecycleSamples.RecallOf(3, groupId: Group) },
    };

    [Theory]
    [MemberData(nameof(LaterEvents))]
    public async Task A_lost_send_whose_later_event_made_its_row_is_still_backfilled(string command, string laterEvent)
    {
        Tencent.AddMany(Group, null, 5, Now - 900);
        await ReceiveAsync(Group, [1, 2, 4, 5]);
        Assert.Equal(200, (await App.PostAsync(command, laterEvent)).StatusCode);
        await SynchronizeQueuedAsync();

        var report = await PassAsync();

        var row = (await MessageRowsAsync(Group))[3];
        Assert.NotNull(row.GetDateTimeOffset(GroupMessageColumns.BackfilledAt));
        Assert.Equal("user3", row.GetString(GroupMessageFields.FromAccount));
        Assert.Equal(1003, row.GetInt64(GroupMessageFields.Random));
        Assert.Equal("message 3", row.GetString(GroupMessageColumns.Text));
        var summary = await SummaryAsync(Group);
        Assert.Equal(5, summary.GetInt64(GroupMessageColumns.CompleteThroughSeq));
        Assert.Equal(1, summary.GetInt64(GroupMessageColumns.BackfilledCount));
        Assert.Equal((1, 1), (report.GapsFound, report.Backfilled));
    }

    [Fact]
    public async Task A_later_events_row_below_the_first_stored_send_is_backfilled_on_the_first_pass()
    {
        Tencent.AddMany(Group, null, 4, Now - 900);
        Assert.Equal(200, (await App.PostAsync(AfterReadReceipt.Command, LifecycleSamples.ReadReceiptOf(1, 1, 6, """{"Member_Account":"user0"}""", Group))).StatusCode);
        await ReceiveAsync(Group, [2, 3, 4]);

        await PassAsync();

        Assert.NotNull((await MessageRowsAsync(Group))[1].GetDateTimeOffset(GroupMessageColumns.BackfilledAt));
        Assert.Equal(4, (await SummaryAsync(Group)).GetInt64(GroupMessageColumns.CompleteThroughSeq));
    }
}
