using System.Text;
using System.Text.Json;
using GroupWebhookFunctions.Functions;
using GroupWebhookFunctions.TencentChat.Rest;
using GroupWebhookFunctions.Tests.Infrastructure;
using Microsoft.Azure.Functions.Worker.Http;

namespace GroupWebhookFunctions.Tests.Archive;

/// <summary>A storage test that reads the archive through its functions, as the host calls them once the key checked out.</summary>
public abstract class ArchiveTest(Azurite azurite) : ReconcileTest(azurite)
{
    protected async Task<(int Status, JsonElement Body)> CallAsync(Func<ArchiveFunctions, HttpRequestData, Task<HttpResponseData>> route, string pathAndQuery, string? body = null)
    {
        var request = new TestHttpRequest(new Uri("https://receiver.example/api/" + pathAndQuery), new MemoryStream(Encoding.UTF8.GetBytes(body ?? "")));
        var response = await route(App.Get<ArchiveFunctions>(), request);
        response.Body.Position = 0;
        Assert.Equal("application/json; charset=utf-8", response.Headers.GetValues("Content-Type").Single());
        return ((int)response.StatusCode, (await JsonDocument.ParseAsync(response.Body)).RootElement.Clone());
    }

    /// <summary><c>GET groups/{groupId}/messages?query</c>, the group ID escaped as a client escapes it.</summary>
    protected Task<(int Status, JsonElement Body)> MessagesAsync(string groupId, string query = "") =>
        CallAsync((f, r) => f.MessagesAsync(r, groupId, CancellationToken.None), $"groups/{Uri.EscapeDataString(groupId)}/messages?{query}");

    protected Task<(int Status, JsonElement Body)> GroupAsync(string groupId, string query = "") =>
        CallAsync((f, r) => f.GroupAsync(r, groupId, CancellationToken.None), $"groups/{Uri.EscapeDataString(groupId)}?{query}");

    protected Task<(int Status, JsonElement Body)> ReadersAsync(string groupId, string msgSeq, string query = "") =>
        CallAsync((f, r) => f.ReadersAsync(r, groupId, msgSeq, CancellationToken.None), $"groups/{Uri.EscapeDataString(groupId)}/messages/{msgSeq}/readers?{query}");

    protected async Task<JsonElement> TencentAsync(string body)
    {
        var (status, answer) = await CallAsync((f, r) => f.TencentHistoryAsync(r, CancellationToken.None),
            "v4/group_open_http_svc/group_msg_get_simple?sdkappid=1400000001&identifier=admin&usersig=anything&random=99999999&contenttype=json", body);
        Assert.Equal(200, status);
        return answer;
    }

    /// <summary>What Tencent (the double) answers the same request body.</summary>
    protected async Task<JsonElement> DoubleAsync(string body)
    {
        using var request = JsonDocument.Parse(body);
        using var answer = await App.Get<TencentRestClient>().CallAsync(GroupHistory.Command, writer =>
        {
            foreach (var property in request.RootElement.EnumerateObject())
                property.WriteTo(writer);
        }, CancellationToken.None);
        return answer.RootElement.Clone();
    }

    /// <summary>Every page of a query, following Next; the seqs in the order served.</summary>
    protected async Task<(List<long> Seqs, List<JsonElement> Messages, int Pages)> AllPagesAsync(string groupId, string query)
    {
        var (seqs, messages, pages) = (new List<long>(), new List<JsonElement>(), 0);
        string? next = null;
        do
        {
            var (status, page) = await MessagesAsync(groupId, query + (next is null ? "" : "&next=" + Uri.EscapeDataString(next)));
            Assert.Equal(200, status);
            pages++;
            foreach (var message in page.GetProperty("Messages").EnumerateArray())
            {
                messages.Add(message);
                seqs.Add(message.GetProperty("MsgSeq").GetInt64());
            }
            next = page.GetProperty("Next").GetString();
            Assert.True(pages < 1000, "Paging never ended.");
        }
        while (next is not null);
        return (seqs, messages, pages);
    }

    protected static void AssertJsonEqual(string expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected).RootElement, actual), $"Expected {expected}\nbut got {actual.GetRawText()}");
}
