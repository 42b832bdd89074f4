using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Testing;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Reconciling;

/// <summary>With RecalledContent=Erase, a recalled message keeps no version of its content: not the first one an edit kept either.</summary>
public class EraseAfterEditTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Group = "@TGS#1ERASE";
    private static readonly string LongText = new('o', 40_000);

    [Theory]
    [InlineData("webhook")]
    [InlineData("history")]
    public async Task A_recall_after_an_edit_erases_the_first_version_and_its_blob(string recalledBy)
    {
        Settings["TencentChat:RecalledContent"] = "Erase";
        Settings["Reconcile:RecheckHours"] = "24";
        Tencent.AddMany(Group, null, 3, Now - 600);
        Tencent.Add(Group, null, TencentRestDouble.Message(2, Now - 599) with { MsgBody = """[{"MsgType":"TIMTextElem","MsgContent":{"Text":"edited"}}]""" });
        foreach (var seq in new long[] { 1, 2, 3 })
            Assert.Equal(200, (await App.PostAsync(AfterSendMsg.Command, CallbackRequests.Message(Group, seq, text: seq == 2 ? LongText : $"message {seq}", msgTime: Now - 601 + seq))).StatusCode);
        await SynchronizeQueuedAsync();
        await PassAsync();
        var edited = (await MessageRowsAsync(Group))[2];
        Assert.True(edited.GetBoolean(GroupMessageColumns.Edited));
        Assert.NotNull(edited.GetString(GroupMessageColumns.OriginalMsgBody + LargeValues.BlobSuffix));

        Tencent.Recall(Group, null, 2);
        if (recalledBy == "webhook")
        {
            Assert.Equal(200, (await App.PostAsync(AfterRecallMsg.Command, LifecycleSamples.RecallOf(2, groupId: Group))).StatusCode);
            await SynchronizeQueuedAsync();
        }
        else
        {
            await HistoryImports.StartAsync(App, $$"""{"GroupId":"{{Group}}"}""");
            await HistoryImports.RunPagesAsync(Azurite, App, int.MaxValue);
        }

        var row = (await MessageRowsAsync(Group))[2];
        Assert.True(row.GetBoolean(GroupMessageColumns.Recalled));
        foreach (var column in new[] { GroupMessageFields.MsgBody, GroupMessageColumns.Text, GroupMessageFields.CloudCustomData, GroupMessageColumns.OriginalMsgBody, GroupMessageColumns.OriginalCloudCustomData })
        {
            Assert.False(row.ContainsKey(column), $"{column} is still there");
            Assert.False(row.ContainsKey(column + LargeValues.BlobSuffix), $"{column}{LargeValues.BlobSuffix} is still there");
        }
        Assert.Empty(await BlobsAsync("large-values/"));
    }

    [Fact]
    public async Task A_recalled_message_is_not_marked_edited_by_a_later_recheck()
    {
        Settings["TencentChat:RecalledContent"] = "Erase";
        Settings["Reconcile:RecheckHours"] = "24";
        Tencent.AddMany(Group, null, 3, Now - 600);
        await ReceiveAsync(Group, [1, 2, 3]);
        Assert.Equal(200, (await App.PostAsync(AfterRecallMsg.Command, LifecycleSamples.RecallOf(2, groupId: Group))).StatusCode);
        await SynchronizeQueuedAsync();
        Tencent.Add(Group, null, TencentRestDouble.Message(2, Now - 599) with { MsgBody = """[{"MsgType":"TIMTextElem","MsgContent":{"Text":"edited"}}]""" });

        await PassAsync();

        var row = (await MessageRowsAsync(Group))[2];
        Assert.Null(row.GetBoolean(GroupMessageColumns.Edited));
        Assert.False(row.ContainsKey(GroupMessageColumns.OriginalMsgBody));
        Assert.False(row.ContainsKey(GroupMessageFields.MsgBody));
    }
}
