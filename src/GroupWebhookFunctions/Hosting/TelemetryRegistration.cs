using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using GroupWebhookFunctions.Diagnostics;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace GroupWebhookFunctions.Hosting;

/// <summary>
/// OpenTelemetry in the worker (the Functions worker's own package, so host and worker spans correlate), exported to
/// Application Insights with the app's managed identity: the infra turns local authentication off there.
/// </summary>
public static class TelemetryRegistration
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static bool IsExported(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]);

    public static IServiceCollection AddGroupWebhookTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddSingleton<GroupWebhookMetrics>();
        if (!IsExported(configuration))
            return services;

        var clientId = ClientIdOf(configuration[AuthenticationSetting]);
        services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter(GroupWebhookMetrics.MeterName))
            .UseAzureMonitorExporter(exporter =>
            {
                exporter.ConnectionString = configuration[ConnectionStringSetting];
                if (clientId is not null)
                    exporter.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
            });
        return services;
    }

    /// <summary>The client ID in Application Insights' authentication string, "ClientId=...;Authorization=AAD".</summary>
    public static string? ClientIdOf(string? authentication)
    {
        foreach (var part in (authentication ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length == 2 && pair[0].Trim().Equals("ClientId", StringComparison.OrdinalIgnoreCase) && pair[1].Trim().Length > 0)
                return pair[1].Trim();
        }
        return null;
    }
}
