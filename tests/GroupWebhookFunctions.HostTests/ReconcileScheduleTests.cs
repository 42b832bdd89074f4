using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using GroupWebhookFunctions.HostTests.Hosting;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Testing;

namespace GroupWebhookFunctions.HostTests;

/// <summary>The reconcile timer's schedule is the Reconcile__Schedule setting, resolved by the host as %Reconcile:Schedule%.</summary>
[Collection(HostCollection.Name)]
public class ReconcileScheduleTests(HostedApp app)
{
    [SkippableFact]
    public async Task The_timer_runs_on_the_schedule_in_Reconcile__Schedule_and_backfills_a_lost_webhook()
    {
        app.Require();
        var group = Webhooks.NewGroupId("timer");
        var sentAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600;
        app.Tencent.AddMany(group, null, 3, sentAt);

        foreach (var seq in new[] { 1L, 3L })
        {
            using var reply = await app.PostCallbackAsync(AfterSendMsg.Command, Webhooks.Send(group, seq));
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }

        // Seq 2's webhook never came: only a reconcile pass, run by the timer, can write its row.
        TableEntity? backfilled = null;
        await HostedApp.WaitForAsync(async () =>
        {
            var row = await app.Table(StorageNames.MessageTable).GetEntityIfExistsAsync<TableEntity>(TableKeys.ConversationPartition(group, null), TableKeys.SequenceRow(2));
            backfilled = row.HasValue ? row.Value : null;
            return backfilled is not null;
        }, TimeSpan.FromSeconds(60), "the timer's pass to backfill seq 2");
        Assert.NotNull(backfilled!.GetDateTimeOffset("BackfilledAt"));
        Assert.Equal(TencentRestDouble.Message(2, sentAt + 1).MsgBody, backfilled.GetString("MsgBody"));
        Assert.Contains(app.Tencent.HistoryCalls, call => call.GroupId == group);

        using var health = await app.Host.Http.SendAsync(HostProcess.WithKey(HttpMethod.Get, "api/ops/health", app.Host.FunctionKey));
        var configuration = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("Configuration");
        Assert.Equal(HostedApp.FastSchedule, configuration.GetProperty("ReconcileSchedule").GetString());
    }

    [SkippableFact]
    public async Task Without_Reconcile__Schedule_the_host_puts_the_timer_in_error_and_runs_every_other_function()
    {
        app.Require();
        var settings = new Dictionary<string, string>(app.Settings);
        settings.Remove("Reconcile__Schedule");
        settings.Remove("Reconcile__DiscoverSchedule");
        settings.Remove("APPLICATIONINSIGHTS_CONNECTION_STRING");

        await using var host = await app.StartHostAsync(settings, "no-schedule");

        Assert.True(host.Log.Contains("The 'ReconcileHistory' function is in error"), host.Log.ToString());
        Assert.True(host.Log.Contains("'%Reconcile:Schedule%' does not resolve to a value."));
        using var health = await host.Http.SendAsync(HostProcess.WithKey(HttpMethod.Get, "api/ops/health", host.FunctionKey));
        var configuration = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("Configuration");
        Assert.Equal(JsonValueKind.Null, configuration.GetProperty("ReconcileSchedule").ValueKind);
        // Discovery's timer likewise, without Reconcile__DiscoverSchedule.
        Assert.True(host.Log.Contains("'%Reconcile:DiscoverSchedule%' does not resolve to a value."), host.Log.ToString());
        Assert.Equal(JsonValueKind.Null, configuration.GetProperty("DiscoverSchedule").ValueKind);

        var group = Webhooks.NewGroupId("nosched");
        using var reply = await app.PostCallbackAsync(AfterSendMsg.Command, Webhooks.Send(group, 1), host);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        await HostedApp.WaitForAsync(() => app.RowExistsAsync(StorageNames.MessageTable, TableKeys.ConversationPartition(group, null), TableKeys.SequenceRow(1)),
            TimeSpan.FromSeconds(60), "a webhook stored while the timer is in error");
    }
}
