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
        Assert.Equal("1400000001", services.GetRequiredService<TencentChatOptions>().SdkAppId);
    }

    [Fact]
    public void A_missing_SdkAppId_stops_the_app_with_a_message_that_names_the_setting()
    {
        var services = Build(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<TencentChatOptions>());
        Assert.Contains("TencentChat:SdkAppId is required", error.Message, StringComparison.Ordinal);
    }
}
