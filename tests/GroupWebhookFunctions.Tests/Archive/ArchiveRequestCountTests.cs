using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using GroupWebhookFunctions.Archive;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Testing;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Archive;

public class ArchiveRequestCountTests(Azurite azurite) : ArchiveTest(azurite)
{
    private const string Group = "@TGS#2COUNTED";
    private readonly RequestCounter _tables = new();
    private readonly RequestCounter _blobs = new();

    [Fact]
    public async Task A_following_page_is_one_table_request_and_the_first_adds_the_summary_read()
    {
        await ReceiveAsync(Group, Enumerable.Range(1, 250).Select(s => (long)s));
        var archive = CountedArchive();

        var first = await CountAsync(archive, "limit=100");
        var second = await CountAsync(archive, "limit=100&next=" + Uri.EscapeDataString(first.Next!));
        var ascending = await CountAsync(archive, "limit=100&order=asc");
        var ascendingNext = await CountAsync(archive, "limit=100&order=asc&next=" + Uri.EscapeDataString(ascending.Next!));

        Assert.Equal((2, 0), (first.Tables, first.Blobs));
        Assert.Equal((1, 0), (second.Tables, second.Blobs));
        Assert.Equal((2, 0), (ascending.Tables, ascending.Blobs));
        Assert.Equal((1, 0), (ascendingNext.Tables, ascendingNext.Blobs));
    }

    [Fact]
    public async Task Each_offloaded_value_costs_one_blob_read_and_no_table_request()
    {
        foreach (var seq in Enumerable.Range(1, 6))
            Assert.Equal(200, (await App.PostAsync(AfterSendMsg.Command, CallbackRequests.Message(Group, seq, text: seq % 3 == 0 ? new string('y', 40_000) : "short"))).StatusCode);
        await SynchronizeQueuedAsync();
        var archive = CountedArchive();

        var page = await CountAsync(archive, "limit=10");

        Assert.Equal((2, 2), (page.Tables, page.Blobs));
    }

    private ArchiveService CountedArchive()
    {
        TableClient Table(string name) => new(Azurite.ConnectionString, name, _tables.AddTo(new TableClientOptions()));
        var payloads = new BlobPayloadStore(new BlobContainerClient(Azurite.ConnectionString, StorageNames.PayloadContainer, _blobs.AddTo(new BlobClientOptions())));
        var reader = new ArchiveReader(Table(StorageNames.MessageTable), Table(StorageNames.SummaryTable), Table(StorageNames.ReaderTable), payloads);
        return new ArchiveService(reader, new MessagePager(reader));
    }

    private async Task<(int Tables, int Blobs, string? Next)> CountAsync(ArchiveService archive, string query)
    {
        _tables.Reset();
        _blobs.Reset();
        var answer = await archive.MessagesAsync(Group, System.Web.HttpUtility.ParseQueryString(query), CancellationToken.None);
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.Status);
        using var page = JsonDocument.Parse(answer.Body);
        return (_tables.Count, _blobs.Count, page.RootElement.GetProperty("Next").GetString());
    }
}
