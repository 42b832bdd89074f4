using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Tests.Synchronizing;

/// <summary>What Table Storage refuses as invalid goes to the poison queue at once; every other failure is retried.</summary>
public class RefusedRowTests(Azurite azurite) : StorageTest(azurite)
{
    [Fact]
    public async Task A_read_receipt_naming_one_reader_twice_is_stored_with_each_reader_once()
    {
        var receipt = LifecycleSamples.ReadReceiptOf(123, 2, 5, """{"Member_Account":"alice"},{"Member_Account":"bob"},{"Member_Account":"alice"}""");
        Assert.Equal(200, (await App.PostAsync(AfterReadReceipt.Command, receipt)).StatusCode);
        var queued = Assert.Single(await QueuedEventsAsync()).Body.ToString();

        await App.SynchronizeAsync(queued);
        await App.SynchronizeAsync(queued);

        Assert.Equal(["alice", "bob"], (await RowsAsync(StorageNames.ReaderTable)).Select(r => r.GetString("Member_Account")).Order(StringComparer.Ordinal));
        Assert.Equal(2, Assert.Single(await RowsAsync(StorageNames.MessageTable)).GetInt64("ReadNum"));
        Assert.Empty(await TakeAllAsync(StorageNames.PoisonQueue));
    }

    [Fact]
    public async Task A_row_Table_Storage_refuses_as_invalid_goes_to_poison_at_once_and_is_logged_once()
    {
        // Tencent's UserIDs are at most 32 bytes: only a forged webhook carries one the summary's column cannot hold.
        var send = CallbackRequests.Message(msgSeq: 5, from: new string('f', 40_000));
        Assert.Equal(200, (await App.PostAsync(AfterSendMsg.Command, send)).StatusCode);
        var queued = Assert.Single(await QueuedEventsAsync());

        await App.SynchronizeAsync(queued.Body.ToString());

        var poisoned = Assert.Single(await TakeAllAsync(StorageNames.PoisonQueue));
        Assert.Equal(queued.Body.ToArray(), poisoned.Body.ToArray());
        var error = Assert.Single(App.Logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("PropertyValueTooLarge", error.Message, StringComparison.Ordinal);
        Assert.Contains(StorageNames.PoisonQueue, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_storage_fault_is_handed_back_for_a_retry_on_every_try_but_the_last()
    {
        Assert.Equal(200, (await App.PostAsync(AfterSendMsg.Command, CallbackRequests.Message(msgSeq: 5))).StatusCode);
        var queued = Assert.Single(await QueuedEventsAsync());
        using var tablesDown = new TestApp(Azurite.ConnectionStringWithout("Table"));

        foreach (var attempt in new[] { 1, 4 })
            await Assert.ThrowsAsync<SynchronizationDeferredException>(() => tablesDown.SynchronizeAsync(queued.Body.ToString(), attempt));

        Assert.Empty(await TakeAllAsync(StorageNames.PoisonQueue));
    }
}
