using System.Text;
using System.Text.Json;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Receiving;

public class CallbackFunctionTests(Azurite azurite) : StorageTest(azurite)
{
    [Fact]
    public async Task A_valid_callback_is_acknowledged_with_Tencents_exact_OK_body_after_it_is_queued()
    {
        var reply = await App.PostAsync(App.SignedUrl(), CallbackRequests.SeedPageSample);

        Assert.Equal(200, reply.StatusCode);
        Assert.Equal("""{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}""", reply.Body.GetRawText());
        Assert.StartsWith("application/json", reply.ContentType);
        Assert.Single(await QueuedEventsAsync());
    }

    [Fact]
    public async Task The_queued_envelope_carries_the_body_untouched_and_what_only_the_URL_carried()
    {
        await App.PostAsync(App.SignedUrl(), CallbackRequests.SeedPageSample);

        var envelope = JsonDocument.Parse((await QueuedEventsAsync()).Single().Body.ToString()).RootElement;
        Assert.Equal(CallbackRequests.SeedPageSample, envelope.GetProperty(EventEnvelope.BodyName).GetRawText());
        Assert.Equal(CallbackRequests.SdkAppId, envelope.GetProperty("SdkAppid").GetString());
        Assert.Equal("Group.CallbackAfterSendMsg", envelope.GetProperty("CallbackCommand").GetString());
        Assert.Equal("203.0.113.7", envelope.GetProperty("ClientIP").GetString());
        Assert.Equal("Android", envelope.GetProperty("OptPlatform").GetString());
        Assert.Equal(App.Clock.GetUtcNow(), envelope.GetProperty("ReceivedAt").GetDateTimeOffset());
    }

    public static TheoryData<string, Func<TestApp, Uri>, int, int> QueryRejections => new()
    {
        { "no SdkAppid", app => CallbackRequests.Url(sdkAppId: null, signedAt: app.Clock.GetUtcNow(), sign: new string('0', 64)), 403, 40301 },
        { "another app's SdkAppid", app => CallbackRequests.Url(sdkAppId: "1400000002", signedAt: app.Clock.GetUtcNow()), 403, 40302 },
        { "no Sign or RequestTime", _ => CallbackRequests.Url(), 401, 40101 },
        { "RequestTime not a number", app => CallbackRequests.Url(signedAt: app.Clock.GetUtcNow(), requestTime: "yesterday"), 401, 40102 },
        { "RequestTime 61 s old", app => CallbackRequests.Url(signedAt: app.Clock.GetUtcNow().AddSeconds(-61)), 401, 40103 },
        { "RequestTime 61 s ahead", app => CallbackRequests.Url(signedAt: app.Clock.GetUtcNow().AddSeconds(61)), 401, 40103 },
        { "Sign from another token", app => CallbackRequests.Url(signedAt: app.Clock.GetUtcNow(), token: "another-token"), 401, 40104 },
        { "Sign garbled", app => CallbackRequests.Url(signedAt: app.Clock.GetUtcNow(), sign: "zz"), 401, 40104 },
    };

    [Theory]
    [MemberData(nameof(QueryRejections))]
    public async Task A_callback_failing_the_query_checks_is_refused_and_nothing_is_queued(string why, Func<TestApp, Uri> url, int status, int errorCode)
    {
        var reply = await App.PostAsync(url(App), CallbackRequests.SeedPageSample);

        AssertFailure(reply, status, errorCode, why);
        Assert.Empty(await QueuedEventsAsync());
    }

    public static TheoryData<string, string, int> BodyRejections => new()
    {
        { "not JSON", "CallbackCommand=Group.CallbackAfterSendMsg", 40001 },
        { "empty", "", 40001 },
        { "a JSON array", "[" + CallbackRequests.SeedPageSample + "]", 40001 },
        { "two JSON objects", CallbackRequests.SeedPageSample + "{}", 40001 },
        { "truncated", CallbackRequests.SeedPageSample[..^3], 40001 },
        { "command disagrees with the query", CallbackRequests.SeedPageSample.Replace("Group.CallbackAfterSendMsg", "Group.CallbackAfterRecallMsg", StringComparison.Ordinal), 40003 },
        { "no GroupId", CallbackRequests.SeedPageSample.Replace("\"GroupId\": \"@TGS#2J4SZEAEL\",", "", StringComparison.Ordinal), 40004 },
        { "no MsgSeq and no fallback identity", """{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#1","Type":"Public","MsgBody":[]}""", 40005 },
        { "MsgSeq not an integer", CallbackRequests.SeedPageSample.Replace("\"MsgSeq\": 123", "\"MsgSeq\": \"12a\"", StringComparison.Ordinal), 40006 },
        { "EventTime an object", CallbackRequests.SeedPageSample.Replace("\"EventTime\":\"1670574414123\"", "\"EventTime\":{}", StringComparison.Ordinal), 40006 },
        { "GroupId a number", CallbackRequests.SeedPageSample.Replace("\"@TGS#2J4SZEAEL\"", "42", StringComparison.Ordinal), 40006 },
        { "GroupId too long for a table key", CallbackRequests.Message(groupId: "@TGS#" + new string('#', 400)), 40007 },
        { "MsgBody an object", """{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#1","MsgSeq":1,"MsgBody":{}}""", 40006 },
    };

    [Theory]
    [MemberData(nameof(BodyRejections))]
    public async Task A_callback_with_an_unusable_body_is_refused_and_nothing_is_queued(string why, string body, int errorCode)
    {
        var reply = await App.PostAsync(App.SignedUrl(), body);

        AssertFailure(reply, 400, errorCode, why);
        Assert.Empty(await QueuedEventsAsync());
    }

    [Fact]
    public async Task A_wrongly_typed_field_is_named_in_the_error()
    {
        var body = CallbackRequests.SeedPageSample.Replace("\"MsgSeq\": 123", "\"MsgSeq\": true", StringComparison.Ordinal);

        var reply = await App.PostAsync(App.SignedUrl(), body);

        Assert.Contains("'MsgSeq' must be an integer", reply.ErrorInfo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_whatever_Content_Length_says()
    {
        using var app = new TestApp(Azurite.ConnectionString, maxBodyBytes: 4096);
        var body = CallbackRequests.Message(text: new string('x', 5000));
        var request = CallbackRequests.Request(app.SignedUrl(), body);
        request.Headers.Add("Content-Length", "100");

        var reply = await app.PostAsync(request);

        AssertFailure(reply, 413, 41301, "body over the limit");
        Assert.Empty(await QueuedEventsAsync());
    }

    [Fact]
    public async Task A_body_of_exactly_the_limit_is_accepted()
    {
        var body = CallbackRequests.Message(text: "x");
        var padded = body + new string(' ', 4096 - Encoding.UTF8.GetByteCount(body));
        using var app = new TestApp(Azurite.ConnectionString, maxBodyBytes: 4096);

        var reply = await app.PostAsync(app.SignedUrl(), padded);

        Assert.Equal(200, reply.StatusCode);
        Assert.Single(await QueuedEventsAsync());
    }

    [Fact]
    public async Task The_command_comes_from_the_body_when_the_query_omits_it()
    {
        var reply = await App.PostAsync(CallbackRequests.Url(command: null, signedAt: App.Clock.GetUtcNow()), CallbackRequests.SeedPageSample);

        Assert.Equal(200, reply.StatusCode);
        Assert.Single(await QueuedEventsAsync());
    }

    [Fact]
    public async Task A_callback_naming_no_command_anywhere_is_refused()
    {
        var body = CallbackRequests.SeedPageSample.Replace("\"CallbackCommand\": \"Group.CallbackAfterSendMsg\",", "", StringComparison.Ordinal);

        var reply = await App.PostAsync(CallbackRequests.Url(command: null, signedAt: App.Clock.GetUtcNow()), body);

        AssertFailure(reply, 400, 40002, "no command");
    }

    [Theory]
    [InlineData("Group.CallbackBeforeSendMsg")]
    [InlineData("Group.CallbackAfterCreateTopic")]
    [InlineData("C2C.CallbackAfterSendMsg")]
    public async Task A_command_this_app_does_not_handle_gets_OK_and_nothing_is_queued(string command)
    {
        var body = $$"""{"CallbackCommand":"{{command}}","GroupId":"@TGS#1","MsgSeqList":[{"MsgSeq":1}]}""";

        var reply = await App.PostAsync(App.SignedUrl(command), body);

        Assert.Equal(200, reply.StatusCode);
        Assert.Equal(0, reply.ErrorCode);
        Assert.Empty(await QueuedEventsAsync());
        Assert.Single(App.Logs.Entries, e => e.Message.Contains(command, StringComparison.Ordinal) && e.Message.Contains("does not handle", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_consoles_signed_URL_check_without_SdkAppid_gets_OK_and_nothing_is_queued()
    {
        var reply = await App.PostAsync(CallbackRequests.Url(sdkAppId: null, command: null, signedAt: App.Clock.GetUtcNow()), "");

        Assert.Equal(200, reply.StatusCode);
        Assert.Equal(0, reply.ErrorCode);
        Assert.Empty(await QueuedEventsAsync());
    }

    [Fact]
    public async Task Without_a_configured_token_unsigned_callbacks_are_accepted()
    {
        using var app = new TestApp(Azurite.ConnectionString, token: null);

        var reply = await app.PostAsync(CallbackRequests.Url(), CallbackRequests.SeedPageSample);

        Assert.Equal(200, reply.StatusCode);
        Assert.Single(await QueuedEventsAsync());
    }

    [Fact]
    public async Task Without_a_configured_token_a_request_without_SdkAppid_is_refused()
    {
        using var app = new TestApp(Azurite.ConnectionString, token: null);

        var reply = await app.PostAsync(CallbackRequests.Url(sdkAppId: null, signedAt: app.Clock.GetUtcNow()), CallbackRequests.SeedPageSample);

        AssertFailure(reply, 403, 40301, "no SdkAppid, no token");
    }

    [Fact]
    public async Task During_a_token_rotation_callbacks_signed_with_either_token_are_accepted_and_no_other()
    {
        using var app = new TestApp(Azurite.ConnectionString, token: "new-token", previousToken: CallbackRequests.Token);

        var byOld = await app.PostAsync(CallbackRequests.Url(signedAt: app.Clock.GetUtcNow(), token: CallbackRequests.Token), CallbackRequests.SeedPageSample);
        var byNew = await app.PostAsync(CallbackRequests.Url(signedAt: app.Clock.GetUtcNow(), token: "new-token"), CallbackRequests.SeedPageSample);
        var byOther = await app.PostAsync(CallbackRequests.Url(signedAt: app.Clock.GetUtcNow(), token: "other-token"), CallbackRequests.SeedPageSample);

        Assert.Equal((200, 200, 401), (byOld.StatusCode, byNew.StatusCode, byOther.StatusCode));
        Assert.Equal(2, (await QueuedEventsAsync()).Count);
        Assert.DoesNotContain("new-token", app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_storage_is_unreachable_the_answer_is_503_never_OK()
    {
        using var app = new TestApp(Azurite.UnreachableConnectionString);

        var reply = await app.PostAsync(app.SignedUrl(), CallbackRequests.SeedPageSample);

        AssertFailure(reply, 503, 50301, "storage down");
        Assert.Contains(app.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains("@TGS#2J4SZEAEL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_callback_token_never_appears_in_the_logs()
    {
        await App.PostAsync(App.SignedUrl(), CallbackRequests.SeedPageSample);
        await App.PostAsync(CallbackRequests.Url(signedAt: App.Clock.GetUtcNow(), token: "another-token"), CallbackRequests.SeedPageSample);
        await App.PostAsync(CallbackRequests.Url(signedAt: App.Clock.GetUtcNow().AddHours(1)), CallbackRequests.SeedPageSample);

        Assert.NotEmpty(App.Logs.Entries);
        Assert.DoesNotContain(CallbackRequests.Token, App.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_acknowledgement_is_logged_with_the_message_identity()
    {
        await App.PostAsync(App.SignedUrl(), CallbackRequests.SeedPageSample);

        var entry = Assert.Single(App.Logs.Entries, e => e.Message.StartsWith("Acknowledged", StringComparison.Ordinal));
        Assert.Contains(entry.State, kv => kv.Key == "GroupId" && kv.Value?.ToString() == "@TGS#2J4SZEAEL");
        Assert.Contains(entry.State, kv => kv.Key == "MsgSeq" && (long?)kv.Value == 123);
    }

    private static void AssertFailure(Reply reply, int status, int errorCode, string why)
    {
        Assert.True(status == reply.StatusCode, $"{why}: expected {status}, got {reply.StatusCode} ({reply.ErrorInfo})");
        Assert.Equal(errorCode, reply.ErrorCode);
        Assert.Equal("FAIL", reply.ActionStatus);
        Assert.False(string.IsNullOrWhiteSpace(reply.ErrorInfo));
        Assert.StartsWith("application/json", reply.ContentType);
    }
}
