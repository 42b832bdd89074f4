using System.Collections.Concurrent;
using GroupWebhookFunctions.HostTests.Hosting;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.HostTests;

/// <summary>The worker process dies in the middle of a burst of webhooks; the host starts another.</summary>
[Collection(HostCollection.Name)]
public class WorkerCrashTests(HostedApp app, Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Webhooks = 150;

    [SkippableFact]
    public async Task Every_webhook_answered_OK_before_or_after_the_worker_is_killed_is_stored_and_the_others_were_answered_non_OK()
    {
        app.Require();
        Skip.IfNot(OperatingSystem.IsLinux(), "Finds the worker process in /proc.");
        var worker = app.Host.WorkerProcessId() ?? throw new InvalidOperationException("The host has no worker process.");
        var group = Hosting.Webhooks.NewGroupId("crash");
        var answers = new ConcurrentDictionary<long, string>();
        var next = 0L;

        async Task SendAsync()
        {
            while (Interlocked.Increment(ref next) is var seq && seq <= Webhooks)
            {
                if (seq == Webhooks / 3)
                    System.Diagnostics.Process.GetProcessById(worker).Kill();
                try
                {
                    using var reply = await app.PostCallbackAsync(AfterSendMsg.Command, Hosting.Webhooks.Send(group, seq));
                    var body = await reply.Content.ReadAsStringAsync();
                    answers[seq] = (int)reply.StatusCode == 200 && body.Contains("\"ActionStatus\":\"OK\"", StringComparison.Ordinal) ? "OK" : $"{(int)reply.StatusCode} {body}";
                }
                catch (HttpRequestException ex)
                {
                    answers[seq] = "no answer: " + ex.Message;
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(SendAsync)));

        await app.Host.WaitUntilRunningAsync(TimeSpan.FromMinutes(2));
        Assert.NotEqual(worker, app.Host.WorkerProcessId());
        var acknowledged = answers.Where(a => a.Value == "OK").Select(a => a.Key).ToHashSet();
        Assert.Equal(Webhooks, answers.Count);
        Assert.NotEmpty(acknowledged);

        var partition = TableKeys.ConversationPartition(group, null);
        var stored = new HashSet<long>();
        await HostedApp.WaitForAsync(async () =>
        {
            stored = (await app.RowsAsync(StorageNames.MessageTable, partition)).Where(r => r.ContainsKey("ReceivedAt")).Select(r => r.GetInt64("MsgSeq")!.Value).ToHashSet();
            return acknowledged.IsSubsetOf(stored);
        }, TimeSpan.FromSeconds(120), $"all {acknowledged.Count} acknowledged webhooks stored");
        output.WriteLine($"{acknowledged.Count} of {Webhooks} answered OK, all stored; the others: "
            + string.Join("; ", answers.Where(a => a.Value != "OK").GroupBy(a => a.Value.Split(' ')[0]).Select(g => $"{g.Count()} x {g.Key}")));
        Assert.All(answers.Where(a => a.Value != "OK"), a => Assert.DoesNotContain("\"ActionStatus\":\"OK\"", a.Value, StringComparison.Ordinal));
    }
}
