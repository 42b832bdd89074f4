using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GroupWebhookFunctions.Diagnostics;
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
                provider.GetRequiredService<GroupWebhookMetrics>());
        });

        services.AddSingleton(provider =>
        {
            var account = provider.GetRequiredService<StorageAccount>();
            var clock = provider.GetRequiredService<TimeProvider>();
            var payloads = new BlobPayloadStore(account.Container(StorageNames.PayloadContainer, BlobOptions(DefaultRetry)));
            var store = new TableGroupMessageStore(
                account.Table(StorageNames.MessageTable, new TableClientOptions()),
                account.Table(StorageNames.SummaryTable, new TableClientOptions()),
                account.Table(StorageNames.ReaderTable, new TableClientOptions()),
                account.Table(StorageNames.FailureTable, new TableClientOptions()),
                payloads,
                clock);
            var poison = new StorageEventSink(account.Queue(StorageNames.PoisonQueue, QueueOptions(DefaultRetry)), payloads, clock);
            var handlers = GroupMessageSynchronizer.Handlers(store, payloads, provider.GetRequiredService<TencentChatOptions>());
            return new GroupMessageSynchronizer(handlers, payloads, poison, clock, provider.GetRequiredService<ILogger<GroupMessageSynchronizer>>(),
                provider.GetRequiredService<GroupWebhookMetrics>());
        });

        services.AddSingleton(provider =>
        {
            var account = provider.GetRequiredService<StorageAccount>();
            return new HealthReport(
                account.Queue(StorageNames.EventQueue, QueueOptions(AcknowledgementRetry)),
                account.Queue(StorageNames.PoisonQueue, QueueOptions(AcknowledgementRetry)),
                provider.GetRequiredService<TencentChatOptions>(),
                provider.GetRequiredService<TimeProvider>(),
                TelemetryRegistration.IsExported(configuration));
        });
        services.AddSingleton(provider =>
        {
            var account = provider.GetRequiredService<StorageAccount>();
            return new PoisonReplayer(
                account.Queue(StorageNames.PoisonQueue, QueueOptions(DefaultRetry)),
                account.Queue(StorageNames.EventQueue, QueueOptions(DefaultRetry)),
                provider.GetRequiredService<GroupWebhookMetrics>());
        });
        return services;
    }

    /// <summary>Tencent waits 2 seconds: a few quick retries, then 503, rather than the SDK's default back-off.</summary>
    private static void AcknowledgementRetry(RetryOptions retry)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = 2;
        retry.Delay = TimeSpan.FromMilliseconds(50);
        retry.MaxDelay = TimeSpan.FromMilliseconds(300);
        retry.NetworkTimeout = TimeSpan.FromSeconds(1);
    }

    private static void DefaultRetry(RetryOptions retry)
    {
    }

    /// <summary>The queue trigger reads base64 (host.json messageEncoding), so everything sent to its queues is base64.</summary>
    private static QueueClientOptions QueueOptions(Action<RetryOptions> retry)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        retry(options.Retry);
        return options;
    }

    private static BlobClientOptions BlobOptions(Action<RetryOptions> retry)
    {
        var options = new BlobClientOptions();
        retry(options.Retry);
        return options;
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
