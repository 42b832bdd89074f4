using Azure;
using Azure.Data.Tables;
using GroupWebhookFunctions.Receiving;
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
        var payloads = new BlobPayloadStore(Azurite.Container(StorageNames.PayloadContainer));
        var poison = new StorageEventSink(Azurite.Queue(StorageNames.PoisonQueue), payloads, TimeProvider.System);
        using var loggers = LoggerFactory.Create(_ => { });
        var synchronizer = new GroupMessageSynchronizer(new RefusingStore(), payloads, poison, TimeProvider.System, loggers.CreateLogger<GroupMessageSynchronizer>());
        using var envelope = EnvelopeWriter.Write(CallbackRequests.Query(), "Group.CallbackAfterSendMsg",
            System.Text.Encoding.UTF8.GetBytes(CallbackRequests.Message(text: new string('a', 40_000))), DateTimeOffset.UtcNow);

        var outcome = await synchronizer.SynchronizeAsync(new BinaryData(envelope.WrittenMemory), CancellationToken.None);

        Assert.Equal(SyncOutcome.Rejected, outcome);
        var blobs = new List<string>();
        await foreach (var blob in Azurite.Container(StorageNames.PayloadContainer).GetBlobsAsync())
            blobs.Add(blob.Name);
        Assert.DoesNotContain(blobs, name => name.StartsWith("large-values/", StringComparison.Ordinal));
        Assert.Single(await TakeAllAsync(StorageNames.PoisonQueue));
    }

    private sealed class RefusingStore : IGroupMessageStore
    {
        public Task<bool> AddMessageAsync(TableEntity message, CancellationToken cancellationToken) =>
            throw new RequestFailedException(400, "The property value exceeds the maximum allowed size.", "PropertyValueTooLarge", null);

        public Task<SummaryChange> AdvanceSummaryAsync(GroupSummary candidate, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A refused row has no summary to advance.");
    }
}
