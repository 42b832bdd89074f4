using System.Net;
using System.Text;
using System.Text.Json;
using GroupWebhookFunctions.HostTests.Hosting;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Testing;

namespace GroupWebhookFunctions.HostTests;

/// <summary>
/// DiscoverGroups under the host: its schedule (the sample's Reconcile__DiscoverSchedule, hourly) resolves, so the
/// function is indexed and runs on demand through the host's admin endpoint; the group it finds is healed by the pass timer.
/// </summary>
[Collection(HostCollection.Name)]
public class DiscoverScheduleTests(HostedApp app)
{
    [SkippableFact]
    public async Task DiscoverGroups_resolves_its_schedule_runs_on_demand_and_a_group_never_seen_is_healed()
    {
        app.Require();
        var group = Webhooks.NewGroupId("found");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // Made after whatever moment reconciliation started at: all its messages are to be backfilled. No webhook of it ever came.
        app.Tencent.Directory[group] = new DoubleGroup(CreateTime: now + 3600);
        app.Tencent.AddMany(group, null, 3, now);

        using var run = HostProcess.WithKey(HttpMethod.Post, "admin/functions/DiscoverGroups", app.Host.MasterKey);
        run.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var accepted = await app.Host.Http.SendAsync(run);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await HostedApp.WaitForAsync(() => app.RowExistsAsync(StorageNames.MessageTable, TableKeys.ConversationPartition(group, null), TableKeys.SequenceRow(3)),
            TimeSpan.FromSeconds(60), "discovery to find the group and a pass to backfill it");
        Assert.True(await app.RowExistsAsync(StorageNames.MessageTable, TableKeys.ConversationPartition(group, null), TableKeys.SequenceRow(1)));
        Assert.NotEmpty(app.Tencent.CallsTo(TencentRestDouble.GroupListPath));
        Assert.False(app.Host.Log.Contains("The 'DiscoverGroups' function is in error"));
        using var health = await app.Host.Http.SendAsync(HostProcess.WithKey(HttpMethod.Get, "api/ops/health", app.Host.FunctionKey));
        var configuration = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("Configuration");
        Assert.Equal(app.Settings["Reconcile__DiscoverSchedule"], configuration.GetProperty("DiscoverSchedule").GetString());
    }
}
