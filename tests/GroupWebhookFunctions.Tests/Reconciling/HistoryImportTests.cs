using System.Text;
using System.Text.Json;
using GroupWebhookFunctions.Functions;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Reconciling;

public class HistoryImportTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Group = "@TGS#1IMPORTED";

    [Fact]
    public async Task An_import_of_1000_messages_resumes_after_a_crash_and_writes_each_once()
    {
        Tencent.AddMany(Group, null, 1000, Now - 7200);
        Tencent.Recall(Group, null, 500);
        Tencent.Remove(Group, null, 250);
        var id = await StartAsync($$"""{"GroupId":"{{Group}}"}""");

        // The first page, then sixteen chains' first pages; the instance dies after recording the last chain's and
        // before queueing its second.
        await RunPagesAsync(App, 1);
        var chainPages = await TakeAllAsync(StorageNames.ImportQueue);
        Assert.Equal(16, chainPages.Count);
        foreach (var page in chainPages)
        {
            await App.Get<ImportHistoryPageFunction>().RunAsync(page.Body.ToString(), new TestFunctionContext(), CancellationToken.None);
            if (page != chainPages[^1])
                await Azurite.Queue(StorageNames.ImportQueue).DeleteMessageAsync(page.MessageId, page.PopReceipt);
        }
        var crashed = chainPages[^1];
        var successors = await TakeAllAsync(StorageNames.ImportQueue);
        Assert.Equal(16, successors.Count);
        var lost = Assert.Single(successors, message => message.Body.ToString().Contains("\"Chain\":16", StringComparison.Ordinal));
        await Azurite.Queue(StorageNames.ImportQueue).DeleteMessageAsync(lost.MessageId, lost.PopReceipt);
        foreach (var page in successors.Where(message => message != lost))
            await Azurite.Queue(StorageNames.ImportQueue).UpdateMessageAsync(page.MessageId, page.PopReceipt, visibilityTimeout: TimeSpan.Zero);

        // Another instance gets the crashed page again (its deletion never happened) and carries on.
        using var restarted = NewApp();
        await restarted.Get<ImportHistoryPageFunction>().RunAsync(crashed.Body.ToString(), new TestFunctionContext(dequeueCount: 2), CancellationToken.None);
        await RunPagesAsync(restarted, int.MaxValue);

        var progress = await ProgressAsync(id);
        Assert.Equal("Succeeded", progress.GetProperty("State").GetString());
        Assert.Equal(50, progress.GetProperty("PagesDone").GetInt64());
        Assert.Equal(999, progress.GetProperty("MessagesWritten").GetInt64());
        Assert.Equal(1, progress.GetProperty("Absent").GetInt64());
        var rows = await MessageRowsAsync(Group);
        Assert.Equal(1000, rows.Count);
        Assert.True(rows[500].GetBoolean(GroupMessageColumns.Recalled));
        Assert.True(rows[250].GetBoolean(GroupMessageColumns.Absent));
        Assert.All(rows.Values, row => Assert.NotNull(row.GetDateTimeOffset(GroupMessageColumns.BackfilledAt)));
        Assert.Equal(50, Tencent.HistoryCalls.Count);
        // The import leaves the group's summary at its newest message, so reconciliation carries on from there.
        Assert.Equal(1000, (await SummaryAsync(Group)).GetInt64(GroupMessageFields.MsgSeq));
    }

    [Fact]
    public async Task An_import_of_a_range_writes_only_that_range()
    {
        Tencent.AddMany(Group, null, 100, Now - 7200);

        var id = await StartAsync($$"""{"GroupId":"{{Group}}","FromSeq":31,"ToSeq":75}""");
        await RunPagesAsync(App, int.MaxValue);

        Assert.Equal(Enumerable.Range(31, 45).Select(i => (long)i), (await MessageRowsAsync(Group)).Keys.Order());
        var progress = await ProgressAsync(id);
        Assert.Equal((3, 45), (progress.GetProperty("PagesDone").GetInt64(), progress.GetProperty("MessagesWritten").GetInt64()));
        Assert.Equal([75L, 55L, 35L], Tencent.HistoryCalls.Select(c => c.ReqMsgSeq!.Value));
        Assert.Equal([20, 20, 5], Tencent.HistoryCalls.Select(c => c.ReqMsgNumber));
    }

    [Fact]
    public async Task A_page_Tencent_cannot_serve_waits_on_the_queue_and_is_never_poisoned()
    {
        Tencent.AddMany(Group, null, 30, Now - 7200);
        var id = await StartAsync($$"""{"GroupId":"{{Group}}"}""");
        Tencent.Down = true;

        await RunPagesAsync(App, 1);

        var progress = await ProgressAsync(id);
        Assert.Equal("Running", progress.GetProperty("State").GetString());
        Assert.Contains("502", progress.GetProperty("LastError").GetString());
        Assert.Empty(await TakeAllAsync(StorageNames.ImportPoisonQueue));
        var waiting = await Azurite.Queue(StorageNames.ImportQueue).PeekMessagesAsync();
        Assert.Empty(waiting.Value);
        Assert.Equal(1, (await Azurite.Queue(StorageNames.ImportQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task An_import_of_a_group_Tencent_does_not_know_fails_and_says_why()
    {
        var id = await StartAsync("""{"GroupId":"@TGS#NOSUCH"}""");

        await RunPagesAsync(App, int.MaxValue);

        var progress = await ProgressAsync(id);
        Assert.Equal("Failed", progress.GetProperty("State").GetString());
        Assert.Contains("10010", progress.GetProperty("LastError").GetString());
    }

    [Fact]
    public async Task An_import_whose_admin_settings_were_removed_fails_and_says_which_to_set()
    {
        Tencent.AddMany(Group, null, 30, Now - 7200);
        var id = await StartAsync($$"""{"GroupId":"{{Group}}"}""");
        Settings.Remove("TencentChat:SecretKey");
        using var restartedWithout = NewApp();

        await RunPagesAsync(restartedWithout, int.MaxValue);

        var progress = await ProgressAsync(id);
        Assert.Equal("Failed", progress.GetProperty("State").GetString());
        Assert.Contains("TencentChat__SecretKey", progress.GetProperty("LastError").GetString());
        Assert.Empty(Tencent.Calls);
    }

    [Theory]
    [InlineData("not json", "JSON object")]
    [InlineData("[]", "JSON object")]
    [InlineData("{}", "GroupId is required")]
    [InlineData("""{"GroupId":7}""", "GroupId must be a string")]
    [InlineData("""{"GroupId":"g","FromSeq":0}""", "FromSeq must be a whole number")]
    [InlineData("""{"GroupId":"g","ToSeq":"5"}""", "ToSeq must be a whole number")]
    [InlineData("""{"GroupId":"g","FromSeq":9,"ToSeq":5}""", "FromSeq must not be above ToSeq")]
    [InlineData("""{"GroupId":"g","Seq":5}""", "Unknown field")]
    public async Task A_bad_import_request_is_refused_with_400_saying_what_is_wrong(string body, string problem)
    {
        var (status, answer) = await App.OperateAsync((f, r) => f.StartImportAsync(r, CancellationToken.None), body: body);

        Assert.Equal(400, status);
        Assert.Contains(problem, answer.GetProperty("Error").GetString());
        Assert.Empty(await TakeAllAsync(StorageNames.ImportQueue));
    }

    [Fact]
    public async Task Without_the_admin_settings_an_import_is_refused_with_409()
    {
        Settings.Remove("TencentChat:SecretKey");

        var (status, answer) = await App.OperateAsync((f, r) => f.StartImportAsync(r, CancellationToken.None), body: """{"GroupId":"g"}""");

        Assert.Equal(409, status);
        Assert.Contains("TencentChat__SecretKey", answer.GetProperty("Error").GetString());
    }

    [Fact]
    public async Task When_storage_is_down_an_import_is_refused_with_503_and_JSON()
    {
        using var disconnected = new TestApp(Azurite.UnreachableConnectionString, settings: new Dictionary<string, string?>(Settings) { ["TencentChat:ApiBaseUrl"] = Tencent.BaseUrl });

        var (status, answer) = await disconnected.OperateAsync((f, r) => f.StartImportAsync(r, CancellationToken.None), body: $$"""{"GroupId":"{{Group}}"}""");

        Assert.Equal(503, status);
        Assert.Contains("nothing was started", answer.GetProperty("Error").GetString());
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", 404)]
    [InlineData("not-an-id", 400)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", 400)]
    public async Task An_unknown_or_malformed_import_id_is_answered_with_JSON(string id, int expected)
    {
        var (status, answer) = await App.OperateAsync((f, r) => f.GetImportAsync(r, id, CancellationToken.None));

        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("Error").GetString()));
    }

    private Task<string> StartAsync(string body) => HistoryImports.StartAsync(App, body);

    private Task<JsonElement> ProgressAsync(string id) => HistoryImports.ProgressAsync(App, id);

    private Task RunPagesAsync(TestApp app, int pages) => HistoryImports.RunPagesAsync(Azurite, app, pages);
}
