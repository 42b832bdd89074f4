using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Documentation;

/// <summary>The README is the contract users read; these keep it true to the code.</summary>
public class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Repository.PathOf("README.md"));

    [Fact]
    public void Every_ErrorCode_is_documented_with_its_HTTP_status()
    {
        foreach (var reply in CallbackReply.All.Where(r => !r.IsOk))
            Assert.Contains($"| {reply.StatusCode} | {reply.ErrorCode} |", Readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_ErrorCode_is_distinct() =>
        Assert.Equal(CallbackReply.All.Count, CallbackReply.All.Select(r => r.ErrorCode).Distinct().Count());

    [Fact]
    public void Every_setting_of_the_sample_is_documented()
    {
        var sample = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json"))).RootElement.GetProperty("Values");
        foreach (var setting in sample.EnumerateObject().Select(p => p.Name).Where(n => n.StartsWith("TencentChat__", StringComparison.Ordinal) || n.StartsWith("Reconcile__", StringComparison.Ordinal) || n == "AzureWebJobsStorage"))
            Assert.Contains($"`{setting}`", Readme, StringComparison.Ordinal);
    }

    [Fact]
    public void The_test_command_is_the_one_CI_runs()
    {
        var ci = File.ReadAllText(Repository.PathOf(".ci", "run"));
        Assert.Contains("`dotnet test GroupWebhookFunctions.sln`", Readme, StringComparison.Ordinal);
        Assert.Contains("\ndotnet test GroupWebhookFunctions.sln", ci, StringComparison.Ordinal);
    }
}
