using GroupWebhookFunctions.Functions;
using GroupWebhookFunctions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
}
