using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.Testing;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Synchronizing;

public class TableGroupMessageStoreTests(Azurite azurite) : StorageTest(azurite)
{
    private readonly RequestCounter _requests = new();

    private TableGroupMessageStore NewStore() => new(
        Counted(StorageNames.MessageTable), Counted(StorageNames.SummaryTable), Counted(StorageNames.ReaderTable), Counted(StorageNames.FailureTable), Counted(StorageNames.ImportTable),
        new BlobPayloadStore(Azurite.Container(StorageNames.PayloadContainer)),
        TimeProvider.System);

    private TableClient Counted(string table) => new(Azurite.ConnectionString, table, _requests.AddTo(new TableClientOptions()));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Azurite.Table(StorageNames.MessageTable).CreateIfNotExistsAsync();
        await Azurite.Table(StorageNames.SummaryTable).CreateIfNotExistsAsync();
    }

    private static GroupMessageRecord Record(long msgSeq) =>
        GroupMessageMapper.Map(SyncedEvent.From(new EventEnvelope { Body = System.Text.Json.JsonDocument.Parse(CallbackRequests.Message(msgSeq: msgSeq)).RootElement }));

    private async Task<int> RoundTripsAsync(TableGroupMessageStore store, long msgSeq)
    {
        _requests.Reset();
        var record = Record(msgSeq);
        await store.AddMessageAsync(record.Message, CancellationToken.None);
        await store.AdvanceSummaryAsync(record.Summary, CancellationToken.None);
        return _requests.Count;
    }

    [Fact]
    public async Task A_new_message_costs_two_round_trips_once_the_groups_summary_is_known()
    {
        var store = NewStore();

        Assert.Equal(3, await RoundTripsAsync(store, 1));
        Assert.Equal(2, await RoundTripsAsync(store, 2));
        Assert.Equal(2, await RoundTripsAsync(store, 3));
    }

    [Fact]
    public async Task An_older_or_repeated_message_costs_only_its_insert()
    {
        var store = NewStore();
        await RoundTripsAsync(store, 5);

        Assert.Equal(1, await RoundTripsAsync(store, 4));
        Assert.Equal(1, await RoundTripsAsync(store, 5));
    }

    [Fact]
    public async Task A_summary_moved_on_by_another_instance_is_read_again_and_never_moved_back()
    {
        var mine = NewStore();
        var other = NewStore();
        await RoundTripsAsync(mine, 1);
        await RoundTripsAsync(other, 9);

        Assert.Equal(SummaryChange.Unchanged, await mine.AdvanceSummaryAsync(Record(5).Summary, CancellationToken.None));
        Assert.Equal(SummaryChange.Advanced, await mine.AdvanceSummaryAsync(Record(10).Summary, CancellationToken.None));

        var summary = Assert.Single(await RowsAsync(StorageNames.SummaryTable));
        Assert.Equal(10L, summary.GetInt64("MsgSeq"));
    }
}
