using System.Text.Json;
using GroupWebhookFunctions.HostTests.Hosting;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Testing;

namespace GroupWebhookFunctions.HostTests;

/// <summary>The discovery timer's schedule is the Reconcile__DiscoverSchedule setting, resolved by the host as %Reconcile:DiscoverSchedule%.</summary>
[Collection(HostCollection.Name)]
public class DiscoverScheduleTests(HostedApp app)
{
    [SkippableFact]
    public async Task DiscoverGroups_runs_on_the_schedule_in_Reconcile__DiscoverSchedule_and_a_group_never_seen_is_healed()
    {
        app.Require();
        var group = Webhooks.NewGroupId("found");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // Made after whatever moment reconciliation started at: all its messages are to be backfilled. No webhook of it ever came.
        app.Tencent.Directory[group] = new DoubleGroup(CreateTime: now + 3600);
        app.Tencent.AddMany(group, null, 3, now);
        var settings = new Dictionary<string, string>(app.Settings) { ["Reconcile__DiscoverSchedule"] = "*/2 * * * * *" };
        settings.Remove("APPLICATIONINSIGHTS_CONNECTION_STRING");

        await using var host = await app.StartHostAsync(settings, "discovery");

        await HostedApp.WaitForAsync(() => app.RowExistsAsync(StorageNames.MessageTable, TableKeys.ConversationPartition(group, null), TableKeys.SequenceRow(3)),
            TimeSpan.FromSeconds(90), "discovery to find the group and a pass to backfill it");
        Assert.True(await app.RowExistsAsync(StorageNames.MessageTable, TableKeys.ConversationPartition(group, null), TableKeys.SequenceRow(1)));
        Assert.NotEmpty(app.Tencent.CallsTo(TencentRestDouble.GroupListPath));
        using var health = await host.Http.SendAsync(HostProcess.WithKey(HttpMethod.Get, "api/ops/health", host.FunctionKey));
        var configuration = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("Configuration");
        Assert.Equal("*/2 * * * * *", configuration.GetProperty("DiscoverSchedule").GetString());
    }
}
