using Azure.Data.Tables;
using GroupWebhookFunctions.Reconciling;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Testing;

namespace GroupWebhookFunctions.Tests.Infrastructure;

/// <summary>A storage test whose app reconciles against a Tencent REST double on a loopback port.</summary>
public abstract class ReconcileTest(Azurite azurite) : StorageTest(azurite)
{
    public const string Admin = "administrator";
    public const string SecretKey = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    private TencentRestDouble? _tencent;

    protected TencentRestDouble Tencent => _tencent ??= new TencentRestDouble(long.Parse(CallbackRequests.SdkAppId), Admin, SecretKey, Clock);

    /// <summary>The app's clock, which is also Tencent's: a UserSig expires against it.</summary>
    protected Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = TestApp.NewClock();

    /// <summary>Settings each test may add to, before the app is first used.</summary>
    protected Dictionary<string, string?> Settings { get; } = new()
    {
        ["TencentChat:AdminIdentifier"] = Admin,
        ["TencentChat:SecretKey"] = SecretKey,
        ["Reconcile:Schedule"] = "0 */5 * * * *",
        ["Reconcile:RetryDelayMilliseconds"] = "10",
        ["Reconcile:LockoutSeconds"] = "0",
        ["Reconcile:CallTimeoutSeconds"] = "5",
        ["Reconcile:MaxCallsPerSecond"] = "200",
    };

    /// <summary>Seconds since the epoch on the app's clock.</summary>
    protected long Now => Clock.GetUtcNow().ToUnixTimeSeconds();

    protected override TestApp CreateApp() => NewApp();

    /// <summary>
    /// Another instance of the app on the same Tencent: a restart, or a second machine; on the same storage, or on
    /// <paramref name="connectionString"/> (such as the same account with one service down).
    /// </summary>
    protected TestApp NewApp(string? connectionString = null) =>
        new(connectionString ?? Azurite.ConnectionString, settings: new Dictionary<string, string?>(Settings) { ["TencentChat:ApiBaseUrl"] = Tencent.BaseUrl }, clock: Clock);

    public override async Task DisposeAsync()
    {
        if (_tencent is not null)
            await _tencent.DisposeAsync();
        await base.DisposeAsync();
    }

    protected Task<ReconcileReport> PassAsync() => App.Get<Reconciler>().RunPassAsync(CancellationToken.None);

    /// <summary>The send webhooks of these seqs arrive and are stored; each message was sent <paramref name="ageSeconds"/> ago.</summary>
    protected async Task ReceiveAsync(string groupId, IEnumerable<long> seqs, long ageSeconds = 600, string type = "Public", string? topicId = null)
    {
        foreach (var seq in seqs)
        {
            var reply = await App.PostAsync(AfterSendMsg.Command, CallbackRequests.Message(groupId, seq, type: type, text: $"message {seq}", msgTime: Now - ageSeconds, topicId: topicId));
            Assert.Equal(200, reply.StatusCode);
        }
        await SynchronizeQueuedAsync();
    }

    protected async Task<Dictionary<long, TableEntity>> MessageRowsAsync(string groupId, string? topicId = null)
    {
        var partition = TableKeys.ConversationPartition(groupId, topicId);
        return (await RowsAsync(StorageNames.MessageTable)).Where(r => r.PartitionKey == partition && TableKeys.SequenceOf(r.RowKey) is not null)
            .ToDictionary(r => TableKeys.SequenceOf(r.RowKey)!.Value);
    }

    protected async Task<TableEntity> SummaryAsync(string groupId, string? topicId = null) =>
        (await RowsAsync(StorageNames.SummaryTable)).Single(r => r.PartitionKey == TableKeys.SummaryPartition(groupId) && r.RowKey == TableKeys.SummaryRow(topicId));
}
