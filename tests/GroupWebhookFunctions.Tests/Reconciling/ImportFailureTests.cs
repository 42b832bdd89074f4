using System.Text.Json;
using GroupWebhookFunctions.Functions;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Testing;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Reconciling;

/// <summary>Every import ends Succeeded or Failed with a reason, or waits where it can be resumed: never Running with nothing queued.</summary>
public class ImportFailureTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Group = "@TGS#1IMPORTFAIL";

    [Fact]
    public async Task A_page_storage_keeps_failing_goes_to_its_poison_queue_on_the_last_try_and_a_replay_resumes_the_import()
    {
        Tencent.AddMany(Group, null, 50, Now - 7200);
        var id = await HistoryImports.StartAsync(App, $$"""{"GroupId":"{{Group}}"}""");
        var page = Assert.Single(await TakeAllAsync(StorageNames.ImportQueue)).Body.ToString();
        using var tablesDown = NewApp(Azurite.ConnectionStringWithout("Table"));
        var function = tablesDown.Get<ImportHistoryPageFunction>();

        await Assert.ThrowsAnyAsync<Exception>(() => function.RunAsync(page, new TestFunctionContext(4), CancellationToken.None));
        Assert.Empty(await TakeAllAsync(StorageNames.ImportPoisonQueue));
        await function.RunAsync(page, new TestFunctionContext(5), CancellationToken.None);

        var poisoned = Assert.Single((await Azurite.Queue(StorageNames.ImportPoisonQueue).PeekMessagesAsync()).Value);
        Assert.Equal(page, poisoned.Body.ToString());
        Assert.True(poisoned.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100), $"expires {poisoned.ExpiresOn}");
        Assert.Equal("Running", (await HistoryImports.ProgressAsync(App, id)).GetProperty("State").GetString());

        var (status, replayed) = await App.OperateAsync((f, r) => f.ReplayAsync(r, CancellationToken.None), "?queue=" + StorageNames.ImportPoisonQueue);
        Assert.Equal(200, status);
        Assert.Equal((1, 0), (replayed.GetProperty("Moved").GetInt32(), replayed.GetProperty("Remaining").GetInt32()));
        await HistoryImports.RunPagesAsync(Azurite, App, int.MaxValue);

        var progress = await HistoryImports.ProgressAsync(App, id);
        Assert.Equal(("Succeeded", 50L), (progress.GetProperty("State").GetString(), progress.GetProperty("MessagesWritten").GetInt64()));
        Assert.Equal(50, (await MessageRowsAsync(Group)).Count);
    }

    [Fact]
    public async Task An_import_whose_page_waits_in_the_poison_queue_says_so_and_how_to_resume_it()
    {
        Tencent.AddMany(Group, null, 5, Now - 7200);
        Tencent.Add(Group, null, TencentRestDouble.Message(3, Now - 7198) with { MsgBody = $$$"""[{"MsgType":"TIMTextElem","MsgContent":{"Text":"{{{new string('l', 40_000)}}}"}}]""" });
        var id = await HistoryImports.StartAsync(App, $$"""{"GroupId":"{{Group}}"}""");
        var page = Assert.Single(await TakeAllAsync(StorageNames.ImportQueue)).Body.ToString();
        using var blobsDown = NewApp(Azurite.ConnectionStringWithout("Blob"));

        await blobsDown.Get<ImportHistoryPageFunction>().RunAsync(page, new TestFunctionContext(5), CancellationToken.None);

        var progress = await HistoryImports.ProgressAsync(App, id);
        Assert.Equal("Running", progress.GetProperty("State").GetString());
        Assert.Contains("replay?queue=history-import-pages-poison", progress.GetProperty("LastError").GetString(), StringComparison.Ordinal);
        await App.OperateAsync((f, r) => f.ReplayAsync(r, CancellationToken.None), "?queue=" + StorageNames.ImportPoisonQueue);
        await HistoryImports.RunPagesAsync(Azurite, App, int.MaxValue);
        progress = await HistoryImports.ProgressAsync(App, id);
        Assert.Equal("Succeeded", progress.GetProperty("State").GetString());
        Assert.Equal(JsonValueKind.Null, progress.GetProperty("LastError").ValueKind);
    }

    [Fact]
    public async Task A_page_whose_rows_Table_Storage_refuses_ends_the_import_failed_with_the_reason()
    {
        // Only a broken history names a sender no summary column can hold (Tencent's UserIDs are at most 32 bytes).
        Tencent.AddMany(Group, null, 5, Now - 7200);
        Tencent.Add(Group, null, TencentRestDouble.Message(6, Now - 7000) with { FromAccount = new string('f', 40_000) });
        var id = await HistoryImports.StartAsync(App, $$"""{"GroupId":"{{Group}}"}""");
        var page = Assert.Single(await TakeAllAsync(StorageNames.ImportQueue)).Body.ToString();

        await App.Get<ImportHistoryPageFunction>().RunAsync(page, new TestFunctionContext(1), CancellationToken.None);

        var progress = await HistoryImports.ProgressAsync(App, id);
        Assert.Equal("Failed", progress.GetProperty("State").GetString());
        Assert.Contains("PropertyValueTooLarge", progress.GetProperty("LastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(await TakeAllAsync(StorageNames.ImportQueue));
        Assert.Empty(await TakeAllAsync(StorageNames.ImportPoisonQueue));
    }

    [Fact]
    public async Task An_import_whose_first_page_cannot_be_queued_answers_503_and_leaves_no_Running_row()
    {
        using var queuesDown = NewApp(Azurite.ConnectionStringWithout("Queue"));

        var (status, answer) = await queuesDown.OperateAsync((f, r) => f.StartImportAsync(r, CancellationToken.None), body: $$"""{"GroupId":"{{Group}}"}""");

        Assert.Equal(503, status);
        Assert.Contains("nothing was started", answer.GetProperty("Error").GetString());
        Assert.DoesNotContain(await RowsAsync(StorageNames.ImportTable), row => row.GetString("State") == "Running");
    }
}
