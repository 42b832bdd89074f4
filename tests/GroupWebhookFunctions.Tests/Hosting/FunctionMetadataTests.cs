using System.Text.Json;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Hosting;

/// <summary>What the Functions host will read from the build output.</summary>
public class FunctionMetadataTests
{
    private static readonly JsonElement Functions = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.FunctionAppOutput, "functions.metadata"))).RootElement;

    private static JsonElement Function(string name) => Functions.EnumerateArray().Single(f => f.GetProperty("name").GetString() == name);

    private static JsonElement Trigger(string name) => Function(name).GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    [Fact]
    public void The_app_has_exactly_its_fourteen_functions() =>
        Assert.Equal(["ArchiveGroup", "ArchiveMessages", "ArchiveReaders", "ArchiveTencentHistory", "DeliverToRelay", "DiscoverGroups", "ImportHistoryPage", "OpsGetHistoryImport", "OpsHealth", "OpsPoisonReplay", "OpsStartHistoryImport", "ReconcileHistory", "SynchronizeGroupMessage", "TencentChatCallback"],
            Functions.EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order());

    [Theory]
    [InlineData("OpsHealth", "get", "ops/health")]
    [InlineData("OpsPoisonReplay", "post", "ops/poison/replay")]
    [InlineData("OpsStartHistoryImport", "post", "ops/history-imports")]
    [InlineData("OpsGetHistoryImport", "get", "ops/history-imports/{id}")]
    [InlineData("ArchiveMessages", "get", "groups/{groupId}/messages")]
    [InlineData("ArchiveGroup", "get", "groups/{groupId}")]
    [InlineData("ArchiveReaders", "get", "groups/{groupId}/messages/{msgSeq}/readers")]
    [InlineData("ArchiveTencentHistory", "post", "v4/group_open_http_svc/group_msg_get_simple")]
    public void The_operations_endpoints_need_a_function_key_and_stay_out_of_the_hosts_admin_routes(string name, string method, string route)
    {
        var trigger = Trigger(name);

        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.False(route.StartsWith("admin", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Discovery_reads_its_schedule_from_the_Reconcile__DiscoverSchedule_setting()
    {
        var trigger = Trigger("DiscoverGroups");

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("%Reconcile:DiscoverSchedule%", trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void The_callback_is_an_anonymous_POST_on_its_route()
    {
        var trigger = Trigger("TencentChatCallback");

        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(["post"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("tencent-chat/callback", trigger.GetProperty("route").GetString());
    }

    [Fact]
    public void The_synchronizer_is_triggered_by_the_event_queue_through_the_storage_connection()
    {
        var trigger = Trigger("SynchronizeGroupMessage");

        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(StorageNames.EventQueue, trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
    }

    [Fact]
    public void The_reconcile_timer_reads_its_schedule_from_the_Reconcile__Schedule_setting()
    {
        var trigger = Trigger("ReconcileHistory");

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("%Reconcile:Schedule%", trigger.GetProperty("schedule").GetString());
        Assert.False(trigger.TryGetProperty("runOnStartup", out var runOnStartup) && runOnStartup.GetBoolean());
    }

    [Fact]
    public void Import_pages_are_triggered_by_their_own_queue_through_the_storage_connection()
    {
        var trigger = Trigger("ImportHistoryPage");

        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(StorageNames.ImportQueue, trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
    }

    [Fact]
    public void Deliveries_to_the_relay_are_triggered_by_relay_deliveries_through_the_storage_connection()
    {
        var trigger = Trigger("DeliverToRelay");

        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(StorageNames.RelayQueue, trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
    }

    [Fact]
    public void The_shipped_host_json_is_the_repositorys()
    {
        Assert.Equal(File.ReadAllText(Repository.PathOf("host.json")), File.ReadAllText(Path.Combine(Repository.FunctionAppOutput, "host.json")));
    }

    [Fact]
    public void Host_json_reads_base64_and_its_maxDequeueCount_is_the_last_try_the_functions_poison_on()
    {
        var queues = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("host.json"))).RootElement.GetProperty("extensions").GetProperty("queues");

        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(GroupWebhookFunctions.Storage.QueueMessages.MaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.True(TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= TimeSpan.FromSeconds(5));
    }
}
