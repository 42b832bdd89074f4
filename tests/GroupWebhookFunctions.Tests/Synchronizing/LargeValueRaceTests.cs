using System.Text.Json;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Synchronizing;

/// <summary>A value too long for a table property lives in a blob; the blob is part of what the row's ETag protects.</summary>
public class LargeValueRaceTests(Azurite azurite) : StorageTest(azurite)
{
    private const string Group = "@TGS#1RACE";
    private const int RacingKeys = 12;

    [Fact]
    public async Task Racing_extension_events_on_a_row_with_an_offloaded_value_lose_no_key_and_leave_no_orphan_blob()
    {
        long[] messages = [7, 8, 9];
        foreach (var msgSeq in messages)
            await DeliverAsync(LifecycleSamples.ExtensionOf(msgSeq, 1, 1, $$"""{"Key":"big","Value":"{{new string('x', 40_000)}}","Seq":1}""", Group));
        var racing = new List<string>();
        foreach (var msgSeq in messages)
        {
            for (var key = 0; key < RacingKeys; key++)
            {
                Assert.Equal(200, (await App.PostAsync(AfterGroupMsgExtension.Command, LifecycleSamples.ExtensionOf(msgSeq, 1, 10 + key, $$"""{"Key":"k{{key}}","Value":"v{{key}}","Seq":{{10 + key}}}""", Group))).StatusCode);
                racing.Add(Assert.Single(await QueuedEventsAsync()).Body.ToString());
            }
        }

        await Task.WhenAll(racing.Select(envelope => Task.Run(() => App.SynchronizeAsync(envelope))));

        var rows = (await RowsAsync(StorageNames.MessageTable)).ToList();
        Assert.Equal(messages.Length, rows.Count);
        var named = new List<string>();
        foreach (var row in rows)
        {
            var blobName = row.GetString(GroupMessageColumns.Extensions + LargeValues.BlobSuffix);
            Assert.NotNull(blobName);
            named.Add(blobName);
            var content = (await Azurite.Container(StorageNames.PayloadContainer).GetBlobClient(blobName).DownloadContentAsync()).Value.Content.ToString();
            using var extensions = JsonDocument.Parse(content);
            var keys = extensions.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(Enumerable.Range(0, RacingKeys).Select(k => $"k{k}").Append("big").Order(StringComparer.Ordinal), keys);
            Assert.Equal(10 + RacingKeys - 1, row.GetInt64(GroupMessageColumns.ExtensionSeq));
        }
        Assert.Equal(named.Order(StringComparer.Ordinal), (await BlobsAsync("large-values/")).Order(StringComparer.Ordinal));
        Assert.Empty(await TakeAllAsync(StorageNames.PoisonQueue));
    }

    [Fact]
    public async Task A_change_that_shrinks_an_offloaded_value_removes_its_blob_and_a_repeat_adds_none()
    {
        await DeliverAsync(LifecycleSamples.ExtensionOf(7, 1, 1, $$"""{"Key":"big","Value":"{{new string('x', 40_000)}}","Seq":1}""", Group));
        var repeat = LifecycleSamples.ExtensionOf(7, 1, 1, $$"""{"Key":"big","Value":"{{new string('x', 40_000)}}","Seq":1}""", Group);
        await DeliverAsync(repeat);
        Assert.Single(await BlobsAsync("large-values/"));

        await DeliverAsync(LifecycleSamples.ExtensionOf(7, 2, 2, """{"Key":"big","Value":"","Seq":2}""", Group));

        var row = Assert.Single(await RowsAsync(StorageNames.MessageTable));
        Assert.Equal("{}", row.GetString(GroupMessageColumns.Extensions));
        Assert.Empty(await BlobsAsync("large-values/"));
    }

    private async Task DeliverAsync(string extensionEvent)
    {
        Assert.Equal(200, (await App.PostAsync(AfterGroupMsgExtension.Command, extensionEvent)).StatusCode);
        Assert.Equal(1, await SynchronizeQueuedAsync());
    }
}
