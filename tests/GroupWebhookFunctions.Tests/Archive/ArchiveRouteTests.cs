using System.Text.Json;
using GroupWebhookFunctions.Archive;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Archive;

public class ArchiveRouteTests(Azurite azurite) : ArchiveTest(azurite)
{
    private const string Group = "@TGS#2ROUTES";

    [Theory]
    [InlineData("before=abc", "before")]
    [InlineData("after=-1", "after")]
    [InlineData("before=1.5", "before")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("order=newest", "order")]
    [InlineData("after=5&before=6", "before")]
    [InlineData("after=9223372036854775807&before=9223372036854775807", "before")]
    [InlineData("next=", "next")]
    [InlineData("next=bm90LW91cnM", "next")]
    [InlineData("next=%%%", "next")]
    public async Task Bad_input_gets_400_saying_what_is_wrong(string query, string named)
    {
        await ReceiveAsync(Group, [1, 2, 3]);

        var (status, answer) = await MessagesAsync(Group, query);

        Assert.Equal(400, status);
        Assert.Contains(named, answer.GetProperty("Error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Next_token_of_another_group_topic_or_query_or_an_edited_one_is_refused()
    {
        await ReceiveAsync(Group, Enumerable.Range(1, 5).Select(s => (long)s));
        await ReceiveAsync("@TGS#2OTHER", Enumerable.Range(1, 5).Select(s => (long)s));
        var next = (await MessagesAsync(Group, "limit=2")).Body.GetProperty("Next").GetString()!;
        var edited = next[..^2] + (next[^2] == 'A' ? "B" : "A") + next[^1];

        Assert.Equal(200, (await MessagesAsync(Group, "limit=2&next=" + next)).Status);
        Assert.Equal(400, (await MessagesAsync("@TGS#2OTHER", "limit=2&next=" + next)).Status);
        Assert.Equal(400, (await MessagesAsync(Group, "limit=3&next=" + next)).Status);
        Assert.Equal(400, (await MessagesAsync(Group, "limit=2&order=asc&next=" + next)).Status);
        Assert.Equal(400, (await MessagesAsync(Group, "limit=2&topicId=t&next=" + next)).Status);
        Assert.Equal(400, (await MessagesAsync(Group, "limit=2&next=" + edited)).Status);
    }

    [Fact]
    public async Task An_unknown_group_or_topic_gets_404_on_every_route()
    {
        await ReceiveAsync(Group, [1]);

        var answers = new[]
        {
            await MessagesAsync("@TGS#2NOSUCH"),
            await MessagesAsync(Group, "topicId=nosuch"),
            await GroupAsync("@TGS#2NOSUCH"),
            await GroupAsync(Group, "topicId=nosuch"),
            await ReadersAsync(Group, "2"),
        };

        Assert.All(answers, a => Assert.Equal(404, a.Status));
        Assert.All(answers, a => Assert.False(string.IsNullOrEmpty(a.Body.GetProperty("Error").GetString())));
        Assert.Equal(400, (await ReadersAsync(Group, "x1")).Status);
        Assert.Equal(400, (await ReadersAsync(Group, "1", "limit=1001")).Status);
    }

    [Fact]
    public async Task The_summary_names_the_latest_message_the_end_and_a_communitys_topics()
    {
        await ReceiveAsync(Group, [1, 2, 3], type: "Community");
        await ReceiveAsync(Group, [1, 2], type: "Community", topicId: "@TGS#_t1");
        await ReceiveAsync(Group, [4], type: "Community", topicId: "@TGS#_t2");
        Assert.Equal(200, (await App.PostAsync(AfterGroupDestroyed.Command, LifecycleSamples.GroupDestroyed.Replace("@TGS#2J4SZEAEL", Group, StringComparison.Ordinal))).StatusCode);
        await SynchronizeQueuedAsync();

        var (status, summary) = await GroupAsync(Group);
        var (_, topic) = await GroupAsync(Group, "topicId=" + Uri.EscapeDataString("@TGS#_t2"));

        Assert.Equal(200, status);
        Assert.Equal("Community", summary.GetProperty("Type").GetString());
        Assert.Equal(3, summary.GetProperty("LatestMessage").GetProperty("MsgSeq").GetInt64());
        Assert.Equal("jared", summary.GetProperty("LatestMessage").GetProperty("From_Account").GetString());
        Assert.True(summary.GetProperty("Disbanded").GetBoolean());
        Assert.Equal(["@TGS#_t1", "@TGS#_t2"], summary.GetProperty("Topics").EnumerateArray().Select(t => t.GetProperty("TopicId").GetString()).Order());
        Assert.Equal("@TGS#_t2", topic.GetProperty("TopicId").GetString());
        Assert.Equal(4, topic.GetProperty("LatestMessage").GetProperty("MsgSeq").GetInt64());
        Assert.False(topic.TryGetProperty("Topics", out _));
    }

    [Fact]
    public async Task A_messages_readers_are_paged_each_once()
    {
        await ReceiveAsync(Group, [5]);
        var readers = Enumerable.Range(0, 7).Select(i => $"reader{i}").ToList();
        Assert.Equal(200, (await App.PostAsync(AfterReadReceipt.Command,
            LifecycleSamples.ReadReceiptOf(5, 7, 3, string.Join(',', readers.Select(r => $$"""{"Member_Account":"{{r}}"}""")), Group))).StatusCode);
        await SynchronizeQueuedAsync();

        var served = new List<string>();
        string? next = null;
        JsonElement page;
        do
        {
            (_, page) = await ReadersAsync(Group, "5", "limit=3" + (next is null ? "" : "&next=" + next));
            served.AddRange(page.GetProperty("Readers").EnumerateArray().Select(r => r.GetString()!));
            next = page.GetProperty("Next").GetString();
        }
        while (next is not null);

        Assert.Equal(readers, served);
        Assert.Equal((7, 3), (page.GetProperty("ReadNum").GetInt32(), page.GetProperty("UnreadNum").GetInt32()));
        Assert.Equal(400, (await ReadersAsync(Group, "6", "limit=3&next=" + (await ReadersAsync(Group, "5", "limit=3")).Body.GetProperty("Next").GetString())).Status);
    }

    [Theory]
    [InlineData("/api/groups/%40TGS%232J4SZEAEL/messages", "@TGS#2J4SZEAEL")]
    [InlineData("/api/groups/a%2Fb/messages/3/readers", "a/b")]
    [InlineData("/api/groups/@TGS%232J4SZEAEL", "@TGS#2J4SZEAEL")]
    [InlineData("/api/groups/caf%C3%A9%20%25", "café %")]
    public void A_group_ID_is_read_from_the_path_as_the_client_encoded_it(string path, string groupId) =>
        Assert.Equal(groupId, ArchiveRoutes.GroupId(path, "bound"));

    [Fact]
    public async Task A_group_ID_with_a_slash_and_a_hash_is_served()
    {
        await ReceiveAsync("@TGS#x/y", [1, 2]);

        var (status, page) = await MessagesAsync("@TGS#x/y");

        Assert.Equal(200, status);
        Assert.Equal("@TGS#x/y", page.GetProperty("GroupId").GetString());
        Assert.Equal(2, page.GetProperty("Messages").GetArrayLength());
    }
}

public class ArchiveStorageDownTests(Azurite azurite) : ArchiveTest(azurite)
{
    protected override TestApp CreateApp() => NewApp(Azurite.ConnectionStringWithout("Table"));

    [Fact]
    public async Task When_the_tables_do_not_answer_the_routes_say_so_and_never_500()
    {
        var (status, answer) = await MessagesAsync("@TGS#2DOWN");
        var tencent = await TencentAsync("""{"GroupId":"@TGS#2DOWN","ReqMsgNumber":20}""");

        Assert.Equal(503, status);
        Assert.Contains("Storage", answer.GetProperty("Error").GetString(), StringComparison.Ordinal);
        Assert.Equal(("FAIL", 10002), (tencent.GetProperty("ActionStatus").GetString(), tencent.GetProperty("ErrorCode").GetInt32()));
    }
}
