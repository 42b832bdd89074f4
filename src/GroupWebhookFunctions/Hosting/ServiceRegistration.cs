using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Importing;
using GroupWebhookFunctions.Reconciling;
using GroupWebhookFunctions.Reconciling.Discovery;
using GroupWebhookFunctions.TencentChat.Rest;
using GroupWebhookFunctions.Operating;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GroupWebhookFunctions.Hosting;

public static class ServiceRegistration
{
    public static IServiceCollection AddGroupWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TencentChatOptions>().Bind(configuration.GetSection(TencentChatOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TencentChatOptions>, TencentChatOptionsValidation>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<TencentChatOptions>>().Value);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => StorageAccount.FromConfiguration(configuration, StorageNames.Connection));
        services.AddGroupWebhookTelemetry(configuration);

        services.AddSingleton(provider =>
        {
            var account = provider.GetRequiredService<StorageAccount>();
            var clock = provider.GetRequiredService<TimeProvider>();
            var sink = new StorageEventSink(
                account.Queue(StorageNames.EventQueue, QueueOptions(AcknowledgementRetry)),
                new BlobPayloadStore(account.Container(StorageNames.PayloadContainer, BlobOptions(AcknowledgementRetry))),
                clock);
            return new CallbackReceiver(provider.GetRequiredService<TencentChatOptions>(), sink, clock, provider.GetRequiredService<ILogger<CallbackReceiver>>(),
                provider.GetRequiredService<GroupWebhookMetrics>(), provider.GetRequiredService<Relaying.CallbackRelay>());
        });

        services.AddSingleton(provider => new BlobPayloadStore(
            provider.GetRequiredService<StorageAccount>().Container(StorageNames.PayloadContainer, BlobOptions(DefaultRetry))));
        services.AddSingleton<IGroupMessageStore>(provider =>
        {
            var account = provider.GetRequiredService<StorageAccount>();
            return new TableGroupMessageStore(
                account.Table(StorageNames.MessageTable, new TableClientOptions()),
                account.Table(StorageNames.SummaryTable, new TableClientOptions()),
                account.Table(StorageNames.ReaderTable, new TableClientOptions()),
                account.Table(StorageNames.FailureTable, new TableClientOptions()),
                account.Table(StorageNames.ImportTable, new TableClientOptions()),
                provider.GetRequiredService<BlobPayloadStore>(),
                provider.GetRequiredService<TimeProvider>());
        });

        services.AddSingleton(provider =>
        {
            var account = provider.GetRequiredService<StorageAccount>();
            var clock = provider.GetRequiredService<TimeProvider>();
            var payloads = provider.GetRequiredService<BlobPayloadStore>();
            var store = provider.GetRequiredService<IGroupMessageStore>();
            var poison = new StorageEventSink(account.Queue(StorageNames.PoisonQueue, QueueOptions(DefaultRetry)), payloads, clock);
            var handlers = GroupMessageSynchronizer.Handlers(store, provider.GetRequiredService<TencentChatOptions>());
            return new GroupMessageSynchronizer(handlers, payloads, poison, clock, provider.GetRequiredService<ILogger<GroupMessageSynchronizer>>(),
                provider.GetRequiredService<GroupWebhookMetrics>());
        });

        services.AddSingleton(provider =>
        {
            var account = provider.GetRequiredService<StorageAccount>();
            // Read without decoding: a poison queue may hold a message the host could not decode, which has an age all the same.
            return new HealthReport(
                [.. StorageNames.TriggerQueues.SelectMany(queue => new[] { queue, queue + StorageNames.PoisonSuffix })
                    .Select(name => account.Queue(name, RawQueueOptions(AcknowledgementRetry)))],
                provider.GetRequiredService<TencentChatOptions>(),
                provider.GetRequiredService<TimeProvider>(),
                TelemetryRegistration.IsExported(configuration),
                provider.GetRequiredService<ReconcileOptions>());
        });
        services.AddSingleton(provider =>
        {
            var account = provider.GetRequiredService<StorageAccount>();
            return new PoisonReplayer(name => account.Queue(name, RawQueueOptions(DefaultRetry)), provider.GetRequiredService<GroupWebhookMetrics>());
        });
        services.AddReconciliation(configuration);
        services.AddRelaying(configuration);
        services.AddArchive();
        return services;
    }

    /// <summary>
    /// Reconciliation with Tencent's history: one REST client and UserSig per instance, and one call budget for the app
    /// (TencentCallBudget), shared by reconcile passes and imports. Registered whether or not it is on, so the functions always resolve; off, a pass does nothing.
    /// </summary>
    private static void AddReconciliation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReconcileOptions>().Bind(configuration.GetSection(ReconcileOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReconcileOptions>, ReconcileOptionsValidation>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<ReconcileOptions>>().Value);
        // Pacing, backoff and timeouts run on the machine's own time; the app's clock dates rows and signatures.
        // One budget for the app, however many instances: each call reserves a start in TencentCallBudget.
        services.AddSingleton(provider => new CallBudget(
            new CallBudgetLedger(provider.GetRequiredService<StorageAccount>().Table(StorageNames.BudgetTable, new TableClientOptions()), TimeProvider.System),
            provider.GetRequiredService<ReconcileOptions>().MaxCallsPerSecond, TimeProvider.System));
        services.AddSingleton<UserSigSource>();
        services.AddSingleton(provider => new TencentRestClient(
            // Polly times each attempt; connections are renewed so a DNS change of Tencent's domain is followed.
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
            provider.GetRequiredService<TencentChatOptions>(),
            provider.GetRequiredService<ReconcileOptions>(),
            provider.GetRequiredService<CallBudget>().All,
            provider.GetRequiredService<UserSigSource>(),
            TimeProvider.System,
            provider.GetRequiredService<GroupWebhookMetrics>()));
        services.AddSingleton<GroupHistory>();
        services.AddSingleton<HistoryWriter>();
        services.AddSingleton<HistoryPuller>();
        services.AddSingleton<EditFinder>();
        services.AddDiscovery();
        services.AddSingleton<Reconciler>();
        services.AddSingleton(provider => new HistoryImporter(
            provider.GetRequiredService<IGroupMessageStore>(),
            provider.GetRequiredService<StorageAccount>().Queue(StorageNames.ImportQueue, QueueOptions(DefaultRetry)),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<HistoryImporter>>()));
        services.AddSingleton(provider => new ImportPageRunner(
            provider.GetRequiredService<IGroupMessageStore>(),
            provider.GetRequiredService<StorageAccount>().Queue(StorageNames.ImportQueue, QueueOptions(DefaultRetry)),
            provider.GetRequiredService<StorageAccount>().Queue(StorageNames.ImportPoisonQueue, QueueOptions(DefaultRetry)),
            provider.GetRequiredService<HistoryPuller>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ImportPageRunner>>(),
            provider.GetRequiredService<GroupWebhookMetrics>()));
        services.AddHostedService<ReconciliationNotice>();
    }

    /// <summary>
    /// Discovery and batched tail checks: the directory, profile and topic APIs (through the one REST client and the
    /// app's call budget; the directory has its own 1-a-second scope of that budget besides), and the ReconcileState table.
    /// </summary>
    private static void AddDiscovery(this IServiceCollection services)
    {
        services.AddSingleton(provider => new GroupListPacer(
            provider.GetRequiredService<CallBudget>().Scope(GroupListPacer.BudgetScope, GroupListPacer.MaxCallsPerSecond)));
        services.AddSingleton<GroupList>();
        services.AddSingleton<GroupInfo>();
        services.AddSingleton<TopicInfo>();
        services.AddSingleton<TailChecker>();
        services.AddSingleton(provider => new ReconcileState(
            provider.GetRequiredService<StorageAccount>().Table(StorageNames.ReconcileStateTable, new TableClientOptions()),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<GroupDiscoverer>();
    }

    /// <summary>Tencent waits 2 seconds: a few quick retries, then 503, rather than the SDK's default back-off.</summary>
    internal static void AcknowledgementRetry(RetryOptions retry)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = 2;
        retry.Delay = TimeSpan.FromMilliseconds(50);
        retry.MaxDelay = TimeSpan.FromMilliseconds(300);
        retry.NetworkTimeout = TimeSpan.FromSeconds(1);
    }

    internal static void DefaultRetry(RetryOptions retry)
    {
    }

    /// <summary>The queue trigger reads base64 (host.json messageEncoding), so everything sent to its queues is base64.</summary>
    internal static QueueClientOptions QueueOptions(Action<RetryOptions> retry)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        retry(options.Retry);
        return options;
    }

    /// <summary>For reading a queue's properties and messages' metadata only: the body is left as it is.</summary>
    private static QueueClientOptions RawQueueOptions(Action<RetryOptions> retry)
    {
        var options = new QueueClientOptions();
        retry(options.Retry);
        return options;
    }

    internal static BlobClientOptions BlobOptions(Action<RetryOptions> retry)
    {
        var options = new BlobClientOptions();
        retry(options.Retry);
        return options;
    }
}

internal sealed class ReconcileOptionsValidation : IValidateOptions<ReconcileOptions>
{
    public ValidateOptionsResult Validate(string? name, ReconcileOptions options)
    {
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

internal sealed class TencentChatOptionsValidation : IValidateOptions<TencentChatOptions>
{
    public ValidateOptionsResult Validate(string? name, TencentChatOptions options)
    {
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
