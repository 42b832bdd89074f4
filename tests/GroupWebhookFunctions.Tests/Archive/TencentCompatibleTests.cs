using System.Text.Json;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Archive;

public class TencentCompatibleTests(Azurite azurite) : ArchiveTest(azurite)
{
    private const string Group = "@TGS#1BACKFILLED";

    public static TheoryData<string> Requests => new()
    {
        """{"GroupId":"@TGS#1BACKFILLED","ReqMsgNumber":20}""",
        """{"GroupId":"@TGS#1BACKFILLED","ReqMsgNumber":20,"WithRecalledMsg":1}""",
        """{"GroupId":"@TGS#1BACKFILLED","ReqMsgNumber":5,"ReqMsgSeq":44,"WithRecalledMsg":1}""",
        """{"GroupId":"@TGS#1BACKFILLED","ReqMsgNumber":20,"ReqMsgSeq":44}""",
        """{"GroupId":"@TGS#1BACKFILLED","ReqMsgNumber":50,"ReqMsgSeq":30,"WithRecalledMsg":1}""",
        """{"GroupId":"@TGS#1BACKFILLED","ReqMsgNumber":20,"ReqMsgSeq":12,"WithRecalledMsg":1}""",
        """{"GroupId":"@TGS#1BACKFILLED","ReqMsgNumber":3,"ReqMsgSeq":3}""",
        """{"GroupId":"@TGS#1BACKFILLED","ReqMsgNumber":20,"ReqMsgSeq":999,"WithRecalledMsg":0}""",
        """{"GroupId":"@TGS#1BACKFILLED","TopicId":"@TGS#_topic1","ReqMsgNumber":20,"WithRecalledMsg":1}""",
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_backfilled_group_is_answered_field_for_field_as_Tencent_answers_and_still_once_Tencent_dropped_it(string request)
    {
        Tencent.AddMany(Group, null, 50, Now - 7200);
        Tencent.Recall(Group, null, 42);
        Tencent.Recall(Group, null, 7);
        Tencent.Remove(Group, null, 25);
        Tencent.Remove(Group, null, 10);
        Tencent.AddMany(Group, "@TGS#_topic1", 8, Now - 3600);
        foreach (var topic in new[] { "", ""","TopicId":"@TGS#_topic1" """ })
        {
            await HistoryImports.StartAsync(App, $$"""{"GroupId":"{{Group}}"{{topic}}}""");
            await HistoryImports.RunPagesAsync(Azurite, App, int.MaxValue);
        }

        var tencent = await DoubleAsync(request);
        var ours = await TencentAsync(request);
        Tencent.RetentionFloor = 1000;
        var dropped = await DoubleAsync(request);
        var oursLater = await TencentAsync(request);

        AssertJsonEqual(tencent.GetRawText(), ours);
        Assert.NotEqual(0, ours.GetProperty("RspMsgList").GetArrayLength());
        Assert.Equal(0, dropped.GetProperty("RspMsgList").GetArrayLength());
        AssertJsonEqual(ours.GetRawText(), oursLater);
    }

    [Fact]
    public async Task Paging_as_Tencent_describes_reads_a_webhook_group_to_its_first_message()
    {
        await ReceiveAsync(Group, Enumerable.Range(1, 45).Select(s => (long)s));
        var seqs = new List<long>();
        long? next = null;
        JsonElement answer;
        do
        {
            answer = await TencentAsync($$"""{"GroupId":"{{Group}}","ReqMsgNumber":20{{(next is null ? "" : $",\"ReqMsgSeq\":{next}")}}}""");
            var page = answer.GetProperty("RspMsgList").EnumerateArray().Select(m => m.GetProperty("MsgSeq").GetInt64()).ToList();
            seqs.AddRange(page);
            next = page.Min() - 1;
        }
        while (answer.GetProperty("IsFinished").GetInt32() == 0);

        Assert.Equal(Enumerable.Range(1, 45).Reverse().Select(s => (long)s), seqs);
        var first = answer.GetProperty("RspMsgList")[0];
        Assert.Equal("jared", first.GetProperty("From_Account").GetString());
        Assert.Equal(1, first.GetProperty("MsgPriority").GetInt32());
        Assert.Equal("", first.GetProperty("CloudCustomData").GetString());
    }

    [Theory]
    [InlineData("""{"GroupId":"@TGS#1NOSUCHGROUP","ReqMsgNumber":20}""", 10010)]
    [InlineData("""{"GroupId":"@TGS#1BACKFILLED","TopicId":"@TGS#_none","ReqMsgNumber":20}""", 10010)]
    [InlineData("""{"ReqMsgNumber":20}""", 10004)]
    [InlineData("""{"GroupId":"@TGS#1BACKFILLED"}""", 10004)]
    [InlineData("""{"GroupId":"@TGS#1BACKFILLED","ReqMsgNumber":0}""", 10004)]
    [InlineData("""{"GroupId":"@TGS#1BACKFILLED","ReqMsgNumber":20,"ReqMsgSeq":"abc"}""", 10004)]
    [InlineData("""{"GroupId":"@TGS#1BACKFILLED","ReqMsgNumber":20,"WithRecalledMsg":3}""", 10004)]
    [InlineData("""{"GroupId":7,"ReqMsgNumber":20}""", 10004)]
    [InlineData("""not json""", 10004)]
    [InlineData("""[]""", 10004)]
    public async Task A_group_the_store_does_not_know_and_a_bad_request_get_Tencents_codes_and_shape(string request, int errorCode)
    {
        await ReceiveAsync(Group, [1]);

        var answer = await TencentAsync(request);

        Assert.Equal("FAIL", answer.GetProperty("ActionStatus").GetString());
        Assert.Equal(errorCode, answer.GetProperty("ErrorCode").GetInt32());
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("ErrorInfo").GetString()));
    }
}
