using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Testing;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Reconciling;

/// <summary>Absent is written only at or below Tencent's own newest seq: what Tencent has not numbered yet is not a hole.</summary>
public class TencentNewestTests(Azurite azurite) : ReconcileTest(azurite)
{
    private const string Group = "@TGS#1NEWEST";

    [Fact]
    public async Task An_import_reaching_past_Tencents_newest_writes_nothing_above_it_and_later_sends_are_healed()
    {
        Tencent.AddMany(Group, null, 30, Now - 7200);
        var id = await HistoryImports.StartAsync(App, $$"""{"GroupId":"{{Group}}","FromSeq":1,"ToSeq":100}""");
        await HistoryImports.RunPagesAsync(Azurite, App, int.MaxValue);

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), (await MessageRowsAsync(Group)).Keys.Order());
        var progress = await HistoryImports.ProgressAsync(App, id);
        Assert.Equal(("Succeeded", 30L, 0L), (progress.GetProperty("State").GetString(), progress.GetProperty("MessagesWritten").GetInt64(), progress.GetProperty("Absent").GetInt64()));

        // Messages 31 to 35 are sent; the webhook of 33 is lost.
        for (var seq = 31; seq <= 35; seq++)
            Tencent.Add(Group, null, TencentRestDouble.Message(seq, Now - 600));
        await ReceiveAsync(Group, [31, 32, 34, 35]);
        await PassAsync();

        var rows = await MessageRowsAsync(Group);
        Assert.All(Enumerable.Range(31, 5), seq => Assert.Null(rows[seq].GetBoolean(GroupMessageColumns.Absent)));
        Assert.Equal("message 33", rows[33].GetString(GroupMessageColumns.Text));
        Assert.Equal(35, (await SummaryAsync(Group)).GetInt64(GroupMessageColumns.CompleteThroughSeq));
    }

    [Fact]
    public async Task A_summary_ahead_of_Tencent_is_not_a_gap_to_close()
    {
        Tencent.AddMany(Group, null, 10, Now - 900);
        await ReceiveAsync(Group, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 60]);

        var report = await PassAsync();

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 60], (await MessageRowsAsync(Group)).Keys.Order());
        var summary = await SummaryAsync(Group);
        Assert.Equal(10, summary.GetInt64(GroupMessageColumns.CompleteThroughSeq));
        Assert.Equal(0, summary.GetInt64(GroupMessageColumns.AbsentCount) ?? 0);
        Assert.Equal(0, report.Absent);
    }

    [Fact]
    public async Task A_seq_claimed_far_beyond_Tencents_newest_costs_a_few_calls_and_writes_nothing()
    {
        Tencent.AddMany(Group, null, 10, Now - 900);
        await ReceiveAsync(Group, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1_000_000_000_000]);

        var report = await PassAsync();

        Assert.Equal(11, (await MessageRowsAsync(Group)).Count);
        Assert.Equal(10, (await SummaryAsync(Group)).GetInt64(GroupMessageColumns.CompleteThroughSeq));
        Assert.Equal((0, 0, (string?)null), (report.Absent, report.Errors, report.StoppedBecause));
        Assert.InRange(Tencent.HistoryCalls.Count, 1, 8);
    }

    [Fact]
    public async Task Seqs_Tencent_skips_below_its_newest_are_still_absent_in_an_import_past_it()
    {
        Tencent.AddMany(Group, null, 30, Now - 7200);
        Tencent.Remove(Group, null, 29);
        Tencent.Remove(Group, null, 12);

        await HistoryImports.StartAsync(App, $$"""{"GroupId":"{{Group}}","ToSeq":500}""");
        await HistoryImports.RunPagesAsync(Azurite, App, int.MaxValue);

        var rows = await MessageRowsAsync(Group);
        Assert.Equal(30, rows.Count);
        Assert.True(rows[29].GetBoolean(GroupMessageColumns.Absent));
        Assert.True(rows[12].GetBoolean(GroupMessageColumns.Absent));
    }

    [Theory]
    [InlineData("""{"GroupId":"g","ToSeq":1000000000000}""", "ToSeq")]
    [InlineData("""{"GroupId":"g","FromSeq":4294967296}""", "FromSeq")]
    [InlineData("""{"GroupId":"g","FromSeq":1,"ToSeq":4294967296}""", "ToSeq")]
    public async Task A_seq_beyond_what_Tencent_numbers_is_refused_with_400(string body, string field)
    {
        var (status, answer) = await App.OperateAsync((f, r) => f.StartImportAsync(r, CancellationToken.None), body: body);

        Assert.Equal(400, status);
        Assert.Contains(field + " must be a whole number from 1 to 4294967295", answer.GetProperty("Error").GetString());
        Assert.Empty(await TakeAllAsync(StorageNames.ImportQueue));
    }

    [Fact]
    public async Task The_largest_seq_Tencent_numbers_is_accepted()
    {
        var (status, _) = await App.OperateAsync((f, r) => f.StartImportAsync(r, CancellationToken.None), body: """{"GroupId":"g","FromSeq":4294967295,"ToSeq":4294967295}""");

        Assert.Equal(202, status);
    }
}
