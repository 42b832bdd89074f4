using Azure;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Tests.Synchronizing;

public class SynchronizerFaultTests(Azurite azurite) : StorageTest(azurite)
{
    [Fact]
    public async Task A_message_that_fails_five_times_is_logged_in_full_once_and_handed_back_with_a_short_exception()
    {
        await App.PostAsync(App.SignedUrl(), CallbackRequests.SeedPageSample);
        var queued = Assert.Single(await QueuedEventsAsync());
        using var disconnected = new TestApp(Azurite.UnreachableConnectionString);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var thrown = await Assert.ThrowsAsync<SynchronizationDeferredException>(() => disconnected.SynchronizeAsync(queued.Body.ToString()));
            Assert.Null(thrown.InnerException);
            Assert.True(thrown.Message.Length < 300, thrown.Message);
        }

        var logged = disconnected.Logs.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        var error = Assert.Single(logged);
        Assert.Contains("@TGS#2J4SZEAEL MsgSeq 123", error.Message, StringComparison.Ordinal);
        Assert.Empty(await TakeAllAsync(StorageNames.PoisonQueue));
    }

    [Fact]
    public async Task Large_value_blobs_are_removed_when_the_table_refuses_the_row()
    {
        var store = new TableGroupMessageStore(
            Azurite.Table(StorageNames.MessageTable), Azurite.Table(StorageNames.SummaryTable), Azurite.Table(StorageNames.ReaderTable), Azurite.Table(StorageNames.FailureTable), Azurite.Table(StorageNames.ImportTable),
            new BlobPayloadStore(Azurite.Container(StorageNames.PayloadContainer)), TimeProvider.System);
        // Table keys may not hold '#': this row is refused whole, after its large value went to a blob.
        var row = new TableEntity("@TGS#1", "0000000000000000001") { ["MsgBody"] = new string('a', 40_000) };

        var refused = await Assert.ThrowsAsync<RowRefusedException>(() => store.AddMessageAsync(row, CancellationToken.None));

        Assert.Equal(400, Assert.IsType<RequestFailedException>(refused.InnerException).Status);
        var blobs = new List<string>();
        await foreach (var blob in Azurite.Container(StorageNames.PayloadContainer).GetBlobsAsync())
            blobs.Add(blob.Name);
        Assert.DoesNotContain(blobs, name => name.StartsWith("large-values/", StringComparison.Ordinal));
    }
}
