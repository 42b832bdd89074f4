using System.Net;
using System.Net.Sockets;
using System.Text;
using GroupWebhookFunctions.HostTests.Hosting;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.HostTests;

/// <summary>Bodies the host's HTTP trigger reads before the app: one cut short, one sent without Content-Length.</summary>
[Collection(HostCollection.Name)]
public class IncompleteBodyTests(HostedApp app)
{
    [SkippableFact]
    public async Task A_body_cut_short_of_its_Content_Length_is_dropped_by_the_host_without_a_log_entry()
    {
        app.Require();
        var since = app.Host.Log.Position;

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, app.Host.Port);
            var head = $"POST /{app.CallbackPath(AfterSendMsg.Command)} HTTP/1.1\r\nHost: 127.0.0.1:{app.Host.Port}\r\n" +
                "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"CallbackCommand\":";
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head));
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(app.Host.Log.EntriesSince(since));
        using var next = await app.PostCallbackAsync(AfterSendMsg.Command, Webhooks.Send(Webhooks.NewGroupId("after-cut"), 1));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [SkippableFact]
    public async Task A_chunked_body_reaches_the_app_empty_and_is_refused_with_40001_and_nothing_is_stored()
    {
        app.Require();
        var group = Webhooks.NewGroupId("chunked");
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Webhooks.Send(group, 1))));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, app.CallbackPath(AfterSendMsg.Command)) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var reply = await app.Host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Contains("\"ErrorCode\":40001", await reply.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Empty(await app.RowsAsync(StorageNames.MessageTable, TableKeys.ConversationPartition(group, null)));
    }
}
