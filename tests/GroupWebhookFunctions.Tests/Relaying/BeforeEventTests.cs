using System.Diagnostics;
using System.Text;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Tests.Relaying;

/// <summary>Before-events are answered by the app's own handler, live, within the bound, or with Tencent's own fallback: allow.</summary>
public class BeforeEventTests(Azurite azurite) : RelayTest(azurite)
{
    [Fact]
    public async Task A_before_event_gets_the_handlers_deny_and_rewritten_body_back_verbatim()
    {
        var deny = Encoding.UTF8.GetBytes("""{"ActionStatus":"OK", "ErrorInfo":"" ,"ErrorCode":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"***"}}]}""");
        Handler.Answer = deny;
        var url = App.SignedUrl(BeforeSend);
        var body = BeforeSendBody("a rude word");

        var (status, answer) = await PostRawAsync(url, body);

        Assert.Equal(200, status);
        Assert.Equal(deny, answer);
        var received = Assert.Single(Handler.Requests);
        Assert.Equal(url.Query, received.Query);
        Assert.Equal(Encoding.UTF8.GetBytes(body), received.Body);
        Assert.Empty(await TakeAllAsync(StorageNames.RelayQueue));
        Assert.Empty(await QueuedEventsAsync());
    }

    [Fact]
    public async Task A_stalled_handler_gets_the_fallback_allow_within_the_bound_with_one_throttled_warning()
    {
        Handler.Stall = TimeSpan.FromSeconds(5);

        var clock = Stopwatch.StartNew();
        var first = await PostSignedAsync(BeforeSend, BeforeSendBody());
        var elapsed = clock.Elapsed;
        var second = await PostSignedAsync(BeforeSend, BeforeSendBody());

        AssertAllowed(first);
        AssertAllowed(second);
        // The bound is 300 ms; the timer may fire a few milliseconds before the stopwatch reads 300.
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(1500));
        var warning = Assert.Single(App.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("answered allow", StringComparison.Ordinal));
        Assert.Contains("timeout", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, null)]
    [InlineData(null, "not json")]
    public async Task A_failing_handler_or_one_that_answers_no_JSON_gets_the_fallback_allow(int? failWith, string? answer)
    {
        Handler.FailWith = failWith;
        if (answer is not null)
            Handler.Answer = Encoding.UTF8.GetBytes(answer);

        AssertAllowed(await PostSignedAsync(BeforeSend, BeforeSendBody()));

        Assert.Single(Handler.Requests);
    }
}
