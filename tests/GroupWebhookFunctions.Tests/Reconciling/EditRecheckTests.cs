using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Tests.Infrastructure;
using GroupWebhookFunctions.Testing;

namespace GroupWebhookFunctions.Tests.Reconciling;

public class EditRecheckTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Group = "@TGS#1EDITS";

    [Fact]
    public async Task An_edit_made_at_Tencent_is_found_by_the_recheck_and_the_first_version_kept()
    {
        Settings["Reconcile:RecheckHours"] = "24";
        Tencent.AddMany(Group, null, 3, Now - 600);
        await ReceiveAsync(Group, [1, 2, 3]);
        Tencent.Add(Group, null, TencentRestDouble.Message(2, Now - 600) with { MsgBody = """[{"MsgType":"TIMTextElem","MsgContent":{"Text":"edited"}}]""" });

        var report = await PassAsync();

        var rows = await MessageRowsAsync(Group);
        Assert.True(rows[2].GetBoolean(GroupMessageColumns.Edited));
        Assert.Equal("edited", rows[2].GetString(GroupMessageColumns.Text));
        Assert.Contains("message 2", rows[2].GetString(GroupMessageColumns.OriginalMsgBody));
        Assert.Null(rows[1].GetBoolean(GroupMessageColumns.Edited));
        Assert.Equal((3, 1), (report.Rechecked, report.Edited));
        Assert.Single(Tencent.HistoryCalls);
    }

    [Fact]
    public async Task The_recheck_walks_past_a_hole_and_finds_an_edit_in_an_older_page()
    {
        Settings["Reconcile:RecheckHours"] = "24";
        Tencent.AddMany(Group, null, 30, Now - 600);
        // A deleted message: Tencent returns its seq as a placeholder with MsgTimeStamp 0, in the newest page.
        Tencent.Remove(Group, null, 25);
        await ReceiveAsync(Group, [.. Enumerable.Range(1, 30).Where(seq => seq != 25).Select(seq => (long)seq)]);
        Tencent.Add(Group, null, TencentRestDouble.Message(5, Now - 600) with { MsgBody = """[{"MsgType":"TIMTextElem","MsgContent":{"Text":"edited"}}]""" });

        var report = await PassAsync();

        var rows = await MessageRowsAsync(Group);
        Assert.True(rows[5].GetBoolean(GroupMessageColumns.Edited));
        Assert.Equal("edited", rows[5].GetString(GroupMessageColumns.Text));
        Assert.Equal((29, 1), (report.Rechecked, report.Edited));
    }

    [Fact]
    public async Task Without_RecheckHours_no_message_is_pulled_again()
    {
        Tencent.AddMany(Group, null, 3, Now - 600);
        await ReceiveAsync(Group, [1, 2, 3]);
        Tencent.Add(Group, null, TencentRestDouble.Message(2, Now - 600) with { MsgBody = "[]" });

        await PassAsync();

        Assert.Empty(Tencent.Calls);
        Assert.Null((await MessageRowsAsync(Group))[2].GetBoolean(GroupMessageColumns.Edited));
    }
}
