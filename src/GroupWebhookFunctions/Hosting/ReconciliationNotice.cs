using GroupWebhookFunctions.Reconciling;
using GroupWebhookFunctions.TencentChat;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Hosting;

/// <summary>Says once, at startup, whether reconciliation is on, so an operator who forgot a setting sees why nothing heals.</summary>
internal sealed class ReconciliationNotice(TencentChatOptions chat, ReconcileOptions options, ILogger<Reconciler> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (chat.ReconcilesHistory)
        {
            ReconcileLog.On(log, options.Schedule ?? "missing (set Reconcile__Schedule: without it no pass runs)", options.MaxCallsPerSecond, chat.ApiBaseUrl);
            if (chat.ApiBaseUrlIsPlainText)
                ReconcileLog.PlainTextApi(log);
        }
        else
            ReconcileLog.Off(log);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
