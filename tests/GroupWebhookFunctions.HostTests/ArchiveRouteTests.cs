using System.Net;
using System.Text;
using System.Text.Json;
using GroupWebhookFunctions.HostTests.Hosting;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.HostTests;

/// <summary>The archive's routes under the real host: function keys (header or <c>code</c>) and the group ID bound from the path.</summary>
[Collection(HostCollection.Name)]
public class ArchiveRouteTests(HostedApp app)
{
    private const string TencentQuery = "sdkappid=1400000001&identifier=admin&usersig=ignored&random=99999999&contenttype=json";

    [SkippableTheory]
    [InlineData("plain")]
    [InlineData("with/slash")]
    [InlineData("with space+%")]
    public async Task The_archive_routes_refuse_a_call_without_a_key_and_serve_one_with_it_in_the_header_or_code(string kind)
    {
        app.Require();
        var group = Webhooks.NewGroupId("archive-" + kind);
        foreach (var seq in new long[] { 1, 2, 3 })
        {
            using var reply = await app.PostCallbackAsync(GroupWebhookFunctions.TencentChat.Callbacks.AfterSendMsg.Command, Webhooks.Send(group, seq));
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }
        await HostedApp.WaitForAsync(async () => (await app.RowsAsync(StorageNames.MessageTable, TableKeys.ConversationPartition(group, null))).Count == 3,
            TimeSpan.FromSeconds(60), "the three messages' rows");
        var escaped = Uri.EscapeDataString(group);
        var tencentBody = $$"""{"GroupId":{{JsonSerializer.Serialize(group)}},"ReqMsgNumber":20}""";
        var routes = new (HttpMethod Method, string Path, string? Body)[]
        {
            (HttpMethod.Get, $"api/groups/{escaped}/messages?limit=2", null),
            (HttpMethod.Get, $"api/groups/{escaped}", null),
            (HttpMethod.Get, $"api/groups/{escaped}/messages/2/readers", null),
            (HttpMethod.Post, $"api/v4/group_open_http_svc/group_msg_get_simple?{TencentQuery}", tencentBody),
        };

        foreach (var (method, path, body) in routes)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(method, path, body, key: null)).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(method, path, body, key: "not-" + app.Host.FunctionKey)).Status);
        }
        var page = await SendAsync(HttpMethod.Get, routes[0].Path, null, app.Host.FunctionKey);
        var byCode = await SendAsync(HttpMethod.Get, routes[0].Path + "&code=" + Uri.EscapeDataString(app.Host.FunctionKey), null, key: null);
        var summary = await SendAsync(HttpMethod.Get, routes[1].Path, null, app.Host.FunctionKey);
        var readers = await SendAsync(HttpMethod.Get, routes[2].Path, null, app.Host.FunctionKey);
        var tencent = await SendAsync(HttpMethod.Post, routes[3].Path + "&code=" + Uri.EscapeDataString(app.Host.FunctionKey), tencentBody, key: null);

        Assert.Equal((HttpStatusCode.OK, group), (page.Status, page.Body.GetProperty("GroupId").GetString()));
        Assert.Equal([3L, 2L], page.Body.GetProperty("Messages").EnumerateArray().Select(m => m.GetProperty("MsgSeq").GetInt64()));
        // The same page (its token may differ: a reconcile pass can raise CompleteThroughSeq in between).
        Assert.Equal(HttpStatusCode.OK, byCode.Status);
        Assert.Equal(page.Body.GetProperty("Messages").GetRawText(), byCode.Body.GetProperty("Messages").GetRawText());
        Assert.Equal((HttpStatusCode.OK, 3L), (summary.Status, summary.Body.GetProperty("LatestMessage").GetProperty("MsgSeq").GetInt64()));
        Assert.Equal((HttpStatusCode.OK, 0), (readers.Status, readers.Body.GetProperty("Readers").GetArrayLength()));
        Assert.Equal((HttpStatusCode.OK, "OK", 3), (tencent.Status, tencent.Body.GetProperty("ActionStatus").GetString(), tencent.Body.GetProperty("RspMsgList").GetArrayLength()));
        var badLimit = await SendAsync(HttpMethod.Get, $"api/groups/{escaped}/messages?limit=500", null, app.Host.FunctionKey);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.Status);
        Assert.Contains("limit", badLimit.Body.GetProperty("Error").GetString(), StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? body, string? key)
    {
        using var request = HostProcess.WithKey(method, path, key, body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));
        using var response = await app.Host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
