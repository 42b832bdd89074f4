using System.Globalization;
using System.Net;
using GroupWebhookFunctions.HostTests.Hosting;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.HostTests;

/// <summary>
/// Bodies over TencentChat__MaxBodyBytes under the host. Up to FUNCTIONS_REQUEST_BODY_SIZE_LIMIT the host hands the
/// body to the app, which answers Tencent's JSON 413; above it the host refuses the body itself before reading it.
/// </summary>
[Collection(HostCollection.Name)]
public class OversizeBodyTests(HostedApp app, Xunit.Abstractions.ITestOutputHelper output)
{
    private int MaxBodyBytes => int.Parse(app.Settings["TencentChat__MaxBodyBytes"], CultureInfo.InvariantCulture);

    private int HostLimit => int.Parse(app.Settings["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"], CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task A_body_between_MaxBodyBytes_and_the_hosts_limit_gets_Tencents_413_and_at_most_one_throttled_log_line()
    {
        app.Require();
        Assert.True(HostLimit > MaxBodyBytes + 1000);
        var since = app.Host.Log.Position;

        for (var i = 0; i < 3; i++)
        {
            using var reply = await app.PostCallbackAsync(AfterSendMsg.Command, new ByteArrayContent(new byte[MaxBodyBytes + 1000]));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.StatusCode);
            Assert.Equal("""{"ActionStatus":"FAIL","ErrorInfo":"The request body is larger than the configured limit.","ErrorCode":41301}""",
                await reply.Content.ReadAsStringAsync());
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var entries = app.Host.Log.EntriesSince(since);
        Assert.DoesNotContain(entries, e => e.IsError);
        Assert.True(entries.Count(e => e.Text.Contains("ErrorCode 41301", StringComparison.Ordinal)) <= 1, string.Join('\n', entries));
        Assert.All(entries, e => Assert.Single(e.Text.Split('\n')));
    }

    [SkippableFact]
    public async Task A_2_MiB_body_is_refused_by_the_host_with_500_before_the_app_sees_it_and_leaves_no_log_entry()
    {
        app.Require();
        var since = app.Host.Log.Position;

        var outcome = await PostAsync(2 * 1024 * 1024);

        Assert.Equal("500", outcome);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(app.Host.Log.EntriesSince(since));
    }

    [SkippableFact]
    public async Task Bodies_of_40_MB_are_refused_unread_memory_stays_bounded_and_the_log_stays_empty()
    {
        app.Require();
        Skip.IfNot(OperatingSystem.IsLinux(), "Reads resident memory from /proc.");
        await WarmUpAsync();
        var before = app.Host.ResidentBytes();
        var since = app.Host.Log.Position;

        var outcomes = new List<string>();
        for (var i = 0; i < 3; i++)
            outcomes.Add(await PostAsync(40 * 1000 * 1000));

        var grown = app.Host.ResidentBytes() - before;
        output.WriteLine($"Three 40 MB bodies: {string.Join(", ", outcomes)}; host and worker resident memory {before / 1024 / 1024} MB before, grown by {grown / 1024 / 1024} MB.");
        Assert.All(outcomes, o => Assert.NotEqual("200", o));
        Assert.True(grown < 150L * 1024 * 1024, $"Host and worker grew by {grown / 1024 / 1024} MB for three 40 MB bodies ({string.Join(", ", outcomes)}).");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(app.Host.Log.EntriesSince(since));
    }

    /// <summary>The status code, or what broke when the host closed the connection while the body was still being sent.</summary>
    private async Task<string> PostAsync(int bytes)
    {
        try
        {
            using var reply = await app.PostCallbackAsync(AfterSendMsg.Command, new ByteArrayContent(new byte[bytes]));
            return ((int)reply.StatusCode).ToString(CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException ex)
        {
            return "connection closed: " + ex.Message;
        }
    }

    /// <summary>Brings the host's and the worker's memory to its working size, so growth is the bodies' doing.</summary>
    private async Task WarmUpAsync()
    {
        for (var i = 0; i < 5; i++)
        {
            using var reply = await app.PostCallbackAsync(AfterSendMsg.Command, new ByteArrayContent(new byte[MaxBodyBytes + 1000]));
        }
    }
}
