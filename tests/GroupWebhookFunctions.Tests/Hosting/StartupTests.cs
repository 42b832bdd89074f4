using GroupWebhookFunctions.Functions;
using GroupWebhookFunctions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Tests.Hosting;

public class StartupTests
{
    private static IServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddGroupWebhooks(builder.Configuration);
        return builder.Build().Services;
    }

    [Fact]
    public void The_worker_builds_and_resolves_both_functions_from_app_settings()
    {
        var services = Build(new()
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["TencentChat:SdkAppId"] = "1400000001",
        });

        Assert.NotNull(ActivatorUtilities.CreateInstance<TencentChatCallbackFunction>(services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<SynchronizeGroupMessageFunction>(services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<OperationsFunctions>(services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<ReconcileHistoryFunction>(services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<ImportHistoryPageFunction>(services));
        Assert.Equal("1400000001", services.GetRequiredService<TencentChatOptions>().SdkAppId);
        Assert.Null(services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    [Fact]
    public void With_Application_Insights_configured_the_worker_exports_its_metrics_through_OpenTelemetry()
    {
        var services = Build(new()
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["TencentChat:SdkAppId"] = "1400000001",
            [TelemetryRegistration.ConnectionStringSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
            [TelemetryRegistration.AuthenticationSetting] = "ClientId=11111111-1111-1111-1111-111111111111;Authorization=AAD",
        });

        Assert.NotNull(services.GetService<OpenTelemetry.Metrics.MeterProvider>());
        Assert.NotNull(ActivatorUtilities.CreateInstance<TencentChatCallbackFunction>(services));
    }

    [Theory]
    [InlineData("ClientId=abc;Authorization=AAD", "abc")]
    [InlineData("Authorization=AAD; clientid = xyz ", "xyz")]
    [InlineData("Authorization=AAD", null)]
    [InlineData(null, null)]
    public void The_exporters_identity_is_the_client_ID_of_the_authentication_string(string? authentication, string? clientId) =>
        Assert.Equal(clientId, TelemetryRegistration.ClientIdOf(authentication));

    [Fact]
    public void An_unknown_RecalledContent_stops_the_app()
    {
        var services = Build(new()
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["TencentChat:SdkAppId"] = "1400000001",
            ["TencentChat:RecalledContent"] = "Shred",
        });

        var error = Assert.ThrowsAny<InvalidOperationException>(() => services.GetRequiredService<TencentChatOptions>());
        Assert.Contains("RecalledContent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Starting_the_worker_and_resolving_both_functions_makes_no_network_call()
    {
        using var storage = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        storage.Start();
        var port = ((System.Net.IPEndPoint)storage.LocalEndpoint).Port;
        var endpoint = $"http://127.0.0.1:{port}/account";
        var services = Build(new()
        {
            ["AzureWebJobsStorage"] = $"DefaultEndpointsProtocol=http;AccountName=account;AccountKey={Convert.ToBase64String(new byte[64])};BlobEndpoint={endpoint};QueueEndpoint={endpoint};TableEndpoint={endpoint};",
            ["TencentChat:SdkAppId"] = "1400000001",
            ["TencentChat:CallbackToken"] = "token",
        });

        ActivatorUtilities.CreateInstance<TencentChatCallbackFunction>(services);
        ActivatorUtilities.CreateInstance<SynchronizeGroupMessageFunction>(services);
        ActivatorUtilities.CreateInstance<ReconcileHistoryFunction>(services);

        Assert.False(storage.Pending(), "startup connected to storage");
    }

    [Fact]
    public void A_missing_SdkAppId_stops_the_app_with_a_message_that_names_the_setting()
    {
        var services = Build(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<TencentChatOptions>());
        Assert.Contains("TencentChat:SdkAppId is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unresolved_Key_Vault_reference_stops_the_app_instead_of_becoming_the_token()
    {
        var services = Build(new()
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["TencentChat:SdkAppId"] = "1400000001",
            ["TencentChat:CallbackToken"] = "@Microsoft.KeyVault(SecretUri=https://vault.vault.azure.net/secrets/tencent-callback-token)",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<TencentChatOptions>());
        Assert.Contains("unresolved Key Vault reference", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "0 */5 * * * *", "Reconciliation is off: set TencentChat__AdminIdentifier and TencentChat__SecretKey")]
    [InlineData("administrator", null, "0 */5 * * * *", "Reconciliation is off")]
    [InlineData("administrator", "s3cret-app-key-7d1e", "0 */5 * * * *", "Reconciliation is on: schedule 0 */5 * * * *, 20 calls a second at most, REST domain https://adminapisgp.im.qcloud.com")]
    [InlineData("administrator", "s3cret-app-key-7d1e", null, "Reconciliation is on: schedule missing (set Reconcile__Schedule: without it no pass runs)")]
    public async Task The_app_says_once_at_startup_whether_reconciliation_is_on(string? admin, string? key, string? schedule, string expected)
    {
        using var app = new Infrastructure.TestApp("UseDevelopmentStorage=true", settings: new Dictionary<string, string?>
        {
            ["TencentChat:AdminIdentifier"] = admin,
            ["TencentChat:SecretKey"] = key,
            ["Reconcile:Schedule"] = schedule,
        });

        foreach (var service in app.Get<IEnumerable<Microsoft.Extensions.Hosting.IHostedService>>())
            await service.StartAsync(CancellationToken.None);

        var logs = app.Logs;
        var line = Assert.Single(logs.Entries, e => e.Message.StartsWith("Reconciliation is", StringComparison.Ordinal));
        Assert.StartsWith(expected, line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-app-key-7d1e", logs.AllText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://tencent-double:8080", true)]
    [InlineData("http://127.0.0.1:8080", false)]
    [InlineData("https://adminapisgp.im.qcloud.com", false)]
    public async Task A_plain_http_REST_domain_beyond_this_machine_is_warned_about_at_startup(string apiBaseUrl, bool warned)
    {
        using var app = new Infrastructure.TestApp("UseDevelopmentStorage=true", settings: new Dictionary<string, string?>
        {
            ["TencentChat:AdminIdentifier"] = "administrator",
            ["TencentChat:SecretKey"] = "key",
            ["TencentChat:ApiBaseUrl"] = apiBaseUrl,
        });

        foreach (var service in app.Get<IEnumerable<Microsoft.Extensions.Hosting.IHostedService>>())
            await service.StartAsync(CancellationToken.None);

        Assert.Equal(warned, app.Logs.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.StartsWith("TencentChat__ApiBaseUrl is not https", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Reconcile:MaxCallsPerSecond", "500", "Reconcile:MaxCallsPerSecond must be from 1 to 200")]
    [InlineData("Reconcile:QuietMinutes", "0", "Reconcile:QuietMinutes must be at least 1")]
    [InlineData("TencentChat:ApiBaseUrl", "adminapisgp.im.qcloud.com", "TencentChat:ApiBaseUrl must be a URL")]
    [InlineData("TencentChat:ApiBaseUrl", "ftp://adminapisgp.im.qcloud.com", "TencentChat:ApiBaseUrl must be a URL")]
    [InlineData("TencentChat:SecretKey", "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/tencent-secret-key)", "TencentChat:SecretKey is an unresolved Key Vault reference")]
    public void A_wrong_reconcile_setting_stops_the_app_naming_it(string setting, string value, string expected)
    {
        var services = Build(new()
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["TencentChat:SdkAppId"] = "1400000001",
            ["TencentChat:AdminIdentifier"] = "administrator",
            ["TencentChat:SecretKey"] = "key",
            [setting] = value,
        });

        var error = Assert.Throws<OptionsValidationException>(() =>
        {
            services.GetRequiredService<TencentChatOptions>();
            services.GetRequiredService<GroupWebhookFunctions.Reconciling.ReconcileOptions>();
        });
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
