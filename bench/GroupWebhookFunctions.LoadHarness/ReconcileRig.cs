using System.Diagnostics.Metrics;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Reconciling;
using GroupWebhookFunctions.Reconciling.Discovery;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;
using GroupWebhookFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GroupWebhookFunctions.LoadHarness;

/// <summary>
/// Reconciliation as the app builds it (real pacers, retry pipeline and table store), against Azurite and the Tencent
/// REST double on loopback, with every table request counted: what the reconcile and discovery scenarios measure.
/// </summary>
public sealed class ReconcileRig : IAsyncDisposable
{
    private const string Key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    private readonly string _connection;
    private readonly ServiceProvider _services;
    private readonly HttpClient _http = new();
    private readonly CallPacer _pacer;
    private readonly CallPacer _listCalls = new(GroupListPacer.MaxCallsPerSecond, TimeProvider.System);

    public ReconcileRig(string connection, int maxCallsPerSecond)
    {
        _connection = connection;
        Tencent = new TencentRestDouble(1400000001, "administrator", Key);
        Chat = new TencentChatOptions { SdkAppId = "1400000001", AdminIdentifier = "administrator", SecretKey = Key, ApiBaseUrl = Tencent.BaseUrl };
        Options = new ReconcileOptions { MaxCallsPerSecond = maxCallsPerSecond };
        Store = new TableGroupMessageStore(Table(StorageNames.MessageTable), Table(StorageNames.SummaryTable), Table(StorageNames.ReaderTable),
            Table(StorageNames.FailureTable), Table(StorageNames.ImportTable), new BlobPayloadStore(new BlobContainerClient(connection, StorageNames.PayloadContainer)), TimeProvider.System);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Metrics = new GroupWebhookMetrics(_services.GetRequiredService<IMeterFactory>());
        _pacer = new CallPacer(maxCallsPerSecond, TimeProvider.System);
        var client = new TencentRestClient(_http, Chat, Options, _pacer, new UserSigSource(Chat, TimeProvider.System), TimeProvider.System, Metrics);
        History = new GroupHistory(client);
        GroupInfo = new GroupInfo(client);
        TopicInfo = new TopicInfo(client, Chat);
        GroupList = new GroupList(client, new GroupListPacer(_listCalls));
        State = new ReconcileState(Table(StorageNames.ReconcileStateTable), TimeProvider.System);
        var puller = new HistoryPuller(History, Store, new HistoryWriter(Store, Chat), TimeProvider.System);
        Reconciler = new Reconciler(Store, puller, new EditFinder(History, Store, TimeProvider.System), new TailChecker(GroupInfo, TopicInfo, Options, Metrics), State,
            Chat, Options, TimeProvider.System, NullLogger<Reconciler>.Instance, Metrics);
    }

    public TencentRestDouble Tencent { get; }
    public TencentChatOptions Chat { get; }
    public ReconcileOptions Options { get; }
    public RequestCounter Counter { get; } = new();
    public TableGroupMessageStore Store { get; }
    public GroupWebhookMetrics Metrics { get; }
    public GroupHistory History { get; }
    public GroupInfo GroupInfo { get; }
    public TopicInfo TopicInfo { get; }
    public GroupList GroupList { get; }
    public ReconcileState State { get; }
    public Reconciler Reconciler { get; }

    /// <summary>A table client whose requests are counted.</summary>
    public TableClient Table(string name) => new(_connection, name, Counter.AddTo(new TableClientOptions()));

    public GroupDiscoverer Discoverer() =>
        new(GroupList, GroupInfo, TopicInfo, History, Store, State, Chat, Options, TimeProvider.System, NullLogger<GroupDiscoverer>.Instance, Metrics);

    public async ValueTask DisposeAsync()
    {
        _pacer.Dispose();
        _listCalls.Dispose();
        _http.Dispose();
        await _services.DisposeAsync();
        await Tencent.DisposeAsync();
    }
}
