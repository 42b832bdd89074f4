using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Reconciling;

/// <summary>A summary describes one message: what its source cannot say is absent, never left from the message before.</summary>
public class SummaryFromHistoryTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Group = "@TGS#1SUMMARY";

    [Fact]
    public async Task A_summary_moved_on_by_history_keeps_nothing_of_the_previous_message_but_the_groups_type()
    {
        Tencent.AddMany(Group, null, 5, Now - 900);
        foreach (var seq in new long[] { 1, 2, 3 })
            Assert.Equal(200, (await App.PostAsync(AfterSendMsg.Command, CallbackRequests.Message(Group, seq, msgTime: Now - 900 + seq - 1, msgId: $"144115-{seq}"))).StatusCode);
        await SynchronizeQueuedAsync();
        Assert.Equal("144115-3", (await SummaryAsync(Group)).GetString(GroupMessageFields.MsgId));

        Clock.Advance(TimeSpan.FromMinutes(11));
        await PassAsync();

        var summary = await SummaryAsync(Group);
        Assert.Equal(5, summary.GetInt64(GroupMessageFields.MsgSeq));
        Assert.Equal(Now - 11 * 60 - 900 + 4, summary.GetInt64(GroupMessageFields.MsgTime));
        Assert.Equal("user5", summary.GetString(GroupMessageFields.FromAccount));
        Assert.Null(summary.GetString(GroupMessageFields.MsgId));
        Assert.False(summary.ContainsKey(GroupMessageFields.EventTime), $"EventTime {summary.GetInt64(GroupMessageFields.EventTime)}");
        Assert.Equal("Public", summary.GetString(GroupMessageFields.Type));
    }

    [Fact]
    public async Task A_later_send_that_carries_no_MsgId_or_EventTime_leaves_neither_from_the_send_before()
    {
        Assert.Equal(200, (await App.PostAsync(AfterSendMsg.Command, CallbackRequests.Message(Group, 1, msgId: "144115-1"))).StatusCode);
        var bare = $$"""{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"{{Group}}","From_Account":"ann","Random":7,"MsgSeq":2,"MsgTime":1490686300,"MsgBody":[]}""";
        Assert.Equal(200, (await App.PostAsync(AfterSendMsg.Command, bare)).StatusCode);
        await SynchronizeQueuedAsync();

        var summary = await SummaryAsync(Group);
        Assert.Equal((2L, "ann"), (summary.GetInt64(GroupMessageFields.MsgSeq)!.Value, summary.GetString(GroupMessageFields.FromAccount)));
        Assert.Null(summary.GetString(GroupMessageFields.MsgId));
        Assert.False(summary.ContainsKey(GroupMessageFields.EventTime));
        Assert.Equal("Public", summary.GetString(GroupMessageFields.Type));
    }
}
