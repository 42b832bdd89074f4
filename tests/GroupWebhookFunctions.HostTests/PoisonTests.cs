using System.Net;
using System.Text.Json;
using GroupWebhookFunctions.HostTests.Hosting;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.HostTests;

/// <summary>
/// Table Storage down (its Azurite process stopped, queues and blobs up): an acknowledged event is retried by the
/// host's queue trigger until host.json's maxDequeueCount, then rests in the poison queue, logged in full once and
/// counted once.
/// </summary>
[Collection(HostCollection.Name)]
public class PoisonTests(HostedApp app)
{
    [SkippableFact]
    public async Task An_event_that_can_never_be_stored_is_poisoned_after_maxDequeueCount_tries_logged_in_full_once_and_counted_once()
    {
        app.Require();
        var group = Webhooks.NewGroupId("poison");
        var started = DateTimeOffset.UtcNow;
        var since = app.Host.Log.Position;
        var maxDequeueCount = JsonDocument.Parse(File.ReadAllText(app.PublishedHostJson)).RootElement
            .GetProperty("extensions").GetProperty("queues").GetProperty("maxDequeueCount").GetInt32();

        app.Storage.StopTables();
        try
        {
            using var reply = await app.PostCallbackAsync(AfterSendMsg.Command, Webhooks.Send(group, 1));
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);

            await HostedApp.WaitForAsync(() => PoisonHoldsAsync(group), TimeSpan.FromSeconds(maxDequeueCount * 40), "the event in the poison queue");
        }
        finally
        {
            await app.Storage.StartTablesAsync();
        }

        // The app's logs go to Application Insights (here the sink) straight from the worker: the failure, in full, once.
        await HostedApp.WaitForAsync(() => Task.FromResult(app.Telemetry.Logs(started).Any(l => l.Text.Contains(group, StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30), "the app's report of the failure to be exported");
        var reports = app.Telemetry.Logs(started).Where(l => l.Text.Contains(group, StringComparison.Ordinal)).ToList();
        var full = Assert.Single(reports, l => l.ExceptionTypes.Count > 0);
        Assert.Equal("Error", full.Severity);
        Assert.Contains("Azure.RequestFailedException", full.ExceptionTypes);
        // With its defaults, the host would add three Error entries of its own per failed attempt.
        Assert.DoesNotContain(app.Host.Log.EntriesSince(since), e => e.IsError && e.Text.Contains("SynchronizeGroupMessage", StringComparison.Ordinal));

        // The worker exports its metrics once a minute: the poisoning is counted once, as the host's last attempt.
        var tags = new Dictionary<string, string> { ["gwf.command"] = AfterSendMsg.Command, ["error.type"] = "retries_exhausted" };
        await HostedApp.WaitForAsync(() => Task.FromResult(app.Telemetry.MetricValues("gwf.sync.poisoned", tags, started).Count > 0),
            TimeSpan.FromSeconds(90), "gwf.sync.poisoned to be exported");
        Assert.Equal(1, app.Telemetry.MetricValues("gwf.sync.poisoned", tags, started).Sum());

        // Storage back: the app stores webhooks again without a restart.
        using var after = await app.PostCallbackAsync(AfterSendMsg.Command, Webhooks.Send(group, 2));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        await HostedApp.WaitForAsync(() => app.RowExistsAsync(StorageNames.MessageTable, TableKeys.ConversationPartition(group, null), TableKeys.SequenceRow(2)),
            TimeSpan.FromSeconds(60), "a webhook stored after the tables came back");
    }

    private async Task<bool> PoisonHoldsAsync(string group)
    {
        var poison = app.Queue(StorageNames.PoisonQueue);
        if (!(await poison.ExistsAsync()).Value)
            return false;
        var messages = await poison.PeekMessagesAsync(32);
        return messages.Value.Any(m => m.Body.ToString().Contains(group, StringComparison.Ordinal));
    }
}
