using System.Text;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Tests.Receiving;

/// <summary>The callback URL is anonymous: what a hostile sender can make it log, answer and hold.</summary>
public class PublicEdgeTests(Azurite azurite) : StorageTest(azurite)
{
    /// <summary>No line that hostile input shapes may be longer than this.</summary>
    private const int LineCap = 600;

    private const string ForgedLine = "1.2.3.4\r\n      Acknowledged Group.CallbackAfterSendMsg for GroupId @TGS#forged";

    private static Uri WithQuery(Uri url, string from, string to) => new(url.ToString().Replace(from, to, StringComparison.Ordinal));

    private void AssertLogsAreSafe()
    {
        Assert.NotEmpty(App.Logs.Entries);
        foreach (var (_, _, message, _) in App.Logs.Entries)
        {
            Assert.True(message.Length <= LineCap, $"a {message.Length}-character log line: {message[..Math.Min(200, message.Length)]}");
            Assert.DoesNotContain(message, char.IsControl);
        }
    }

    [Fact]
    public async Task Before_the_signature_is_verified_only_the_refusal_and_the_remote_address_are_logged()
    {
        var url = WithQuery(CallbackRequests.Url(signedAt: App.Clock.GetUtcNow(), token: "not-the-token"), "ClientIP=203.0.113.7", "ClientIP=" + Uri.EscapeDataString(ForgedLine));
        var request = CallbackRequests.Request(url, CallbackRequests.SeedPageSample);
        request.Headers.Add("X-Forwarded-For", "10.9.9.9 forged, 198.51.100.20");

        var reply = await App.PostAsync(request);

        Assert.Equal(40104, reply.ErrorCode);
        var entry = Assert.Single(App.Logs.Entries);
        Assert.Contains("198.51.100.20", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("1.2.3.4", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("forged", entry.Message, StringComparison.Ordinal);
        AssertLogsAreSafe();
    }

    [Fact]
    public async Task A_signed_request_cannot_forge_a_log_line_either()
    {
        var url = WithQuery(App.SignedUrl(), "ClientIP=203.0.113.7", "ClientIP=" + Uri.EscapeDataString(ForgedLine));

        await App.PostAsync(url, """{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#1"}""");
        await App.PostAsync(url, CallbackRequests.SeedPageSample);

        Assert.Contains(App.Logs.Entries, e => e.Message.Contains("1.2.3.4\\u000d\\u000a", StringComparison.Ordinal));
        AssertLogsAreSafe();
    }

    [Fact]
    public async Task A_7000_character_command_in_the_query_makes_no_long_line()
    {
        var command = new string('C', 7000);

        await App.PostAsync(CallbackRequests.Url(command: command), CallbackRequests.SeedPageSample);
        await App.PostAsync(App.SignedUrl(command), "{}");

        AssertLogsAreSafe();
    }

    [Fact]
    public async Task A_900000_character_command_in_the_body_is_echoed_and_logged_only_as_a_short_prefix()
    {
        var body = CallbackRequests.SeedPageSample.Replace("\"CallbackCommand\": \"Group.CallbackAfterSendMsg\"", $"\"CallbackCommand\": \"{new string('C', 900_000)}\"", StringComparison.Ordinal);

        var reply = await App.PostAsync(App.SignedUrl(), body);

        Assert.Equal(40003, reply.ErrorCode);
        Assert.Contains(new string('C', UntrustedText.MaxLength) + "…(900000 characters)", reply.ErrorInfo, StringComparison.Ordinal);
        Assert.True(reply.ErrorInfo.Length < 300, reply.ErrorInfo);
        AssertLogsAreSafe();
    }

    [Theory]
    [InlineData("SdkAppid")]
    [InlineData("CallbackCommand")]
    [InlineData("RequestTime")]
    [InlineData("Sign")]
    [InlineData("sdkappid")]
    public async Task A_parameter_Tencent_sends_once_that_appears_twice_is_refused(string name)
    {
        var url = App.SignedUrl();
        var value = System.Web.HttpUtility.ParseQueryString(url.Query)[name];

        var reply = await App.PostAsync(new Uri($"{url}&{name}={Uri.EscapeDataString(value!)}"), CallbackRequests.SeedPageSample);

        Assert.Equal((400, 40009, "FAIL"), (reply.StatusCode, reply.ErrorCode, reply.ActionStatus));
        Assert.Contains(name, reply.ErrorInfo, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await QueuedEventsAsync());
    }

    [Fact]
    public async Task A_storage_outage_is_logged_once_in_full_then_counted_each_minute()
    {
        using var app = new TestApp(Azurite.UnreachableConnectionString);

        for (var i = 0; i < 5; i++)
        {
            var reply = await app.PostAsync(app.SignedUrl(), CallbackRequests.SeedPageSample);
            Assert.Equal((503, 50301), (reply.StatusCode, reply.ErrorCode));
            Assert.Contains("may not have been kept", reply.ErrorInfo, StringComparison.Ordinal);
            Assert.Contains("Send it again", reply.ErrorInfo, StringComparison.Ordinal);
        }
        app.Clock.Advance(CallbackReceiver.FaultReportInterval);
        await app.PostAsync(app.SignedUrl(), CallbackRequests.SeedPageSample);

        var errors = app.Logs.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Equal(LogLevel.Error, errors[0].Level);
        Assert.Contains("Exception", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("Still failing: 5 more", errors[1].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_end_of_an_outage_is_logged_once()
    {
        var sink = new FlakySink(failures: 3);
        var logs = new LogCollector();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(logs));
        var receiver = new CallbackReceiver(new TencentChatOptions { SdkAppId = CallbackRequests.SdkAppId }, sink, TimeProvider.System, loggers.CreateLogger<CallbackReceiver>());

        var codes = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            using var body = new MemoryStream(Encoding.UTF8.GetBytes(CallbackRequests.SeedPageSample));
            codes.Add((await receiver.ReceiveAsync(CallbackRequests.Query(), body, null, CancellationToken.None)).ErrorCode);
        }

        Assert.Equal([50301, 50301, 50301, 0, 0], codes);
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Single(logs.Entries, e => e.Message.Contains("acknowledged again after 3", StringComparison.Ordinal));
    }

    private sealed class FlakySink(int failures) : IEventSink
    {
        private int _calls;

        public Task EnqueueAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken) =>
            ++_calls <= failures ? throw new IOException("storage refused the connection") : Task.CompletedTask;
    }
}
