using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.Relaying;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GroupWebhookFunctions.Hosting;

internal static class RelayRegistration
{
    /// <summary>Relaying to the app's own handler; registered whether or not it is on, so the functions always resolve.</summary>
    public static void AddRelaying(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RelayOptions>().Bind(configuration.GetSection(RelayOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RelayOptions>, RelayOptionsValidation>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<RelayOptions>>().Value);
        services.AddSingleton(_ => new HandlerClient(HandlerClient.CreateHttpClient()));
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<RelayOptions>();
            var account = provider.GetRequiredService<StorageAccount>();
            var clock = provider.GetRequiredService<TimeProvider>();
            // Written before Tencent's answer, so with the acknowledgement's quick retries.
            var deliveries = new StorageEventSink(
                account.Queue(StorageNames.RelayQueue, ServiceRegistration.QueueOptions(ServiceRegistration.AcknowledgementRetry)),
                new BlobPayloadStore(account.Container(StorageNames.PayloadContainer, ServiceRegistration.BlobOptions(ServiceRegistration.AcknowledgementRetry))),
                clock,
                DeliveryMessage.MaxQueuedBytes);
            var forwarder = options.IsOn
                ? new BeforeEventForwarder(options, provider.GetRequiredService<HandlerClient>(), clock, provider.GetRequiredService<ILogger<BeforeEventForwarder>>(),
                    provider.GetRequiredService<GroupWebhookMetrics>())
                : null;
            return new CallbackRelay(options, forwarder, deliveries);
        });
        services.AddSingleton(provider =>
        {
            var account = provider.GetRequiredService<StorageAccount>();
            return new RelayDeliverer(
                provider.GetRequiredService<RelayOptions>(),
                provider.GetRequiredService<TencentChatOptions>(),
                provider.GetRequiredService<HandlerClient>(),
                account.Queue(StorageNames.RelayQueue, ServiceRegistration.QueueOptions(ServiceRegistration.DefaultRetry)),
                account.Queue(StorageNames.RelayPoisonQueue, ServiceRegistration.QueueOptions(ServiceRegistration.DefaultRetry)),
                provider.GetRequiredService<BlobPayloadStore>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<RelayDeliverer>>(),
                provider.GetRequiredService<GroupWebhookMetrics>());
        });
        services.AddHostedService<RelayNotice>();
    }
}

internal sealed class RelayOptionsValidation : IValidateOptions<RelayOptions>
{
    public ValidateOptionsResult Validate(string? name, RelayOptions options)
    {
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>Says once, at startup, that relaying is on, and warns when events would leave the machine unencrypted.</summary>
internal sealed class RelayNotice(RelayOptions options, ILogger<RelayDeliverer> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.IsOn)
        {
            RelayLog.On(log, options.BeforeTimeoutMilliseconds, string.IsNullOrWhiteSpace(options.Commands) ? "all" : options.Commands);
            if (options.UrlIsPlainText)
                RelayLog.PlainText(log);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
