using GroupWebhookFunctions.Relaying;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Tests.Relaying;

public class RelayQueryTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_764_000_000);

    [Fact]
    public void Resigning_changes_only_RequestTime_and_Sign_and_keeps_every_other_parameter_in_its_place()
    {
        var query = "SdkAppid=1400000001&CallbackCommand=Group.CallbackAfterSendMsg&contenttype=json&ClientIP=203.0.113.7&OptPlatform=Android&RequestTime=1&Sign=old";

        var resigned = RelayQuery.Resign(query, "token", Now);

        Assert.Equal($"SdkAppid=1400000001&CallbackCommand=Group.CallbackAfterSendMsg&contenttype=json&ClientIP=203.0.113.7&OptPlatform=Android&RequestTime=1764000000&Sign={CallbackSignature.Compute("token", "1764000000")}", resigned);
    }

    [Theory]
    [InlineData("SdkAppid=1&CallbackCommand=X&RequestTime=1&Sign=old", null)]
    [InlineData("SdkAppid=1&CallbackCommand=X", "token")]
    public void A_query_is_left_as_it_is_without_a_token_or_without_a_Sign(string query, string? token) =>
        Assert.Equal(query, RelayQuery.Resign(query, token, Now));

    [Theory]
    [InlineData("https://handler.example/hook", "https://handler.example/hook?SdkAppid=1")]
    [InlineData("https://handler.example/hook?code=abc", "https://handler.example/hook?code=abc&SdkAppid=1")]
    [InlineData("https://handler.example/hook#section", "https://handler.example/hook?SdkAppid=1")]
    public void Tencents_query_follows_any_query_of_the_handlers_own(string handler, string expected) =>
        Assert.Equal(expected, RelayQuery.Target(new Uri(handler), "SdkAppid=1").AbsoluteUri);

    [Theory]
    [InlineData("", 1200, null, true)]
    [InlineData("ftp://handler.example", 1200, null, false)]
    [InlineData("https://handler.example", 2500, null, false)]
    [InlineData("https://handler.example", 1200, "Group.CallbackBeforeSendMsg", false)]
    [InlineData("http://127.0.0.1:8080/hook", 1200, "Group.CallbackAfterSendMsg", true)]
    public void Settings_that_cannot_work_stop_the_app(string url, int timeout, string? commands, bool sound) =>
        Assert.Equal(sound, new RelayOptions { Url = url, BeforeTimeoutMilliseconds = timeout, Commands = commands }.Problems().Count == 0);

    [Fact]
    public void Plain_http_is_plain_text_only_off_this_machine()
    {
        Assert.True(new RelayOptions { Url = "http://handler.example/hook" }.UrlIsPlainText);
        Assert.False(new RelayOptions { Url = "http://127.0.0.1:8080/hook" }.UrlIsPlainText);
        Assert.False(new RelayOptions { Url = "https://handler.example/hook" }.UrlIsPlainText);
    }
}
