using System.Text;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Judging;

public class CallbackJudgeTests
{
    private const string Command = AfterSendMsg.Command;

    private static CallbackJudgement Judge(string json, bool keepEveryField = false) =>
        CallbackJudge.Judge(Encoding.UTF8.GetBytes(json), Command, keepEveryField);

    private static JudgedBody Accepted(string json, bool keepEveryField = false)
    {
        var judgement = Judge(json, keepEveryField);
        Assert.True(judgement.Verdict == Verdict.Accepted, judgement.Refusal?.ErrorInfo);
        return judgement.Body!;
    }

    private static CallbackReply Refused(string json)
    {
        var judgement = Judge(json);
        Assert.Equal(Verdict.Refused, judgement.Verdict);
        return judgement.Refusal!;
    }

    [Fact]
    public void Reads_the_routing_and_identity_fields_of_the_seed_sample()
    {
        var body = Accepted(CallbackRequests.SeedPageSample);

        Assert.Equal(("Group.CallbackAfterSendMsg", "@TGS#2J4SZEAEL", "Public", "jared"),
            (body.Text(AfterSendMsg.Callback.CommandField), body.Text(AfterSendMsg.GroupIdField), body.Text(AfterSendMsg.TypeField), body.Text(AfterSendMsg.FromAccountField)));
        Assert.Equal((123L, 123456L, 1490686222L, 1670574414123L),
            (body.Number(AfterSendMsg.MsgSeqField), body.Number(AfterSendMsg.RandomField), body.Number(AfterSendMsg.MsgTimeField), body.Number(AfterSendMsg.EventTimeField)));
        Assert.Null(body.FieldProblem);
    }

    [Fact]
    public void Acknowledging_keeps_only_the_identity_and_storing_keeps_every_field()
    {
        var forAcknowledging = Accepted(CallbackRequests.SeedPageSample.Replace("\"Type\"", "\"Mood\":\"calm\",\"Type\"", StringComparison.Ordinal));
        var forStoring = Accepted(CallbackRequests.SeedPageSample.Replace("\"Type\"", "\"Mood\":\"calm\",\"Type\"", StringComparison.Ordinal), keepEveryField: true);

        Assert.Null(forAcknowledging.Text(AfterSendMsg.CloudCustomDataField));
        Assert.Null(forAcknowledging.UnknownFields);
        Assert.Equal("your cloud custom data", forStoring.Text(AfterSendMsg.CloudCustomDataField));
        Assert.Equal("Mood", Assert.Single(forStoring.UnknownFields!).Name);
    }

    [Fact]
    public void Reads_escaped_strings_and_quoted_integers()
    {
        var body = Accepted("""{"GroupId":"@TGS\u00232J","MsgSeq":"\u0031\u0032"}""");

        Assert.Equal(("@TGS#2J", 12L), (body.Text(AfterSendMsg.GroupIdField), body.Number(AfterSendMsg.MsgSeqField)));
    }

    [Fact]
    public void Nested_fields_with_top_level_names_do_not_count()
    {
        var body = Accepted("""{"GroupId":"@TGS#1","MsgBody":[{"GroupId":"inner","MsgSeq":"x"}],"Extra":{"MsgSeq":5},"MsgSeq":1}""");

        Assert.Equal(("@TGS#1", 1L), (body.Text(AfterSendMsg.GroupIdField), body.Number(AfterSendMsg.MsgSeqField)));
    }

    [Theory]
    [InlineData("123", 123L)]
    [InlineData("\"123\"", 123L)]
    [InlineData("\"9223372036854775807\"", long.MaxValue)]
    [InlineData("-5", -5L)]
    [InlineData("\"\"", null)]
    [InlineData("null", null)]
    public void Integers_are_JSON_integers_or_strings_of_digits(string value, long? expected) =>
        Assert.Equal(expected, Accepted($$"""{"GroupId":"@TGS#1","MsgId":"m","Random":{{value}}}""").Number(AfterSendMsg.RandomField));

    [Theory]
    [InlineData("\"+123\"")]
    [InlineData("\"123\\u0000\"")]
    [InlineData("\" 123\"")]
    [InlineData("\"-1\"")]
    [InlineData("\"12a\"")]
    [InlineData("\"9223372036854775808\"")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("true")]
    public void Anything_else_in_an_integer_field_is_refused_as_the_wrong_type(string value)
    {
        var refusal = Refused($$"""{"GroupId":"@TGS#1","MsgSeq":{{value}}}""");

        Assert.Equal(40006, refusal.ErrorCode);
        Assert.Contains("'MsgSeq' must be an integer", refusal.ErrorInfo, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"GroupId":"@TGS#1","MsgSeq":1,"From_Account":7}""", "From_Account")]
    [InlineData("""{"GroupId":"@TGS#1","MsgSeq":1,"CloudCustomData":{}}""", "CloudCustomData")]
    [InlineData("""{"GroupId":"@TGS#1","MsgSeq":1,"OnlineOnlyFlag":[1]}""", "OnlineOnlyFlag")]
    [InlineData("""{"GroupId":"@TGS#1","MsgSeq":1,"MsgBody":{}}""", "MsgBody")]
    public void Names_the_first_field_of_the_wrong_type(string json, string field)
    {
        var refusal = Refused(json);

        Assert.Equal(40006, refusal.ErrorCode);
        Assert.Contains($"'{field}'", refusal.ErrorInfo, StringComparison.Ordinal);
    }

    [Fact]
    public void A_documented_field_sent_twice_is_refused_because_its_value_is_ambiguous()
    {
        var refusal = Refused("""{"GroupId":"@TGS#1","MsgSeq":1,"GroupId":"@TGS#2"}""");

        Assert.Equal((40013, true), (refusal.ErrorCode, refusal.ErrorInfo.Contains("'GroupId'", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_unknown_field_sent_twice_is_kept_twice()
    {
        var body = Accepted("""{"GroupId":"@TGS#1","MsgSeq":1,"Mood":1,"Mood":2}""", keepEveryField: true);

        Assert.Equal(["Mood", "Mood"], body.UnknownFields!.Select(f => f.Name));
    }

    [Fact]
    public void Nesting_of_exactly_the_limit_passes_and_one_level_more_is_refused()
    {
        // The body is level 1, "Deep" opens level 2.
        static string Nested(int levels) => new string('[', levels - 1) + new string(']', levels - 1);

        Accepted($$"""{"GroupId":"@TGS#1","MsgSeq":1,"Deep":{{Nested(CallbackJudge.MaxDepth)}}}""");
        var refusal = Refused($$"""{"GroupId":"@TGS#1","MsgSeq":1,"Deep":{{Nested(CallbackJudge.MaxDepth + 1)}}}""");

        Assert.Equal(40011, refusal.ErrorCode);
        Assert.Contains("'Deep'", refusal.ErrorInfo, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("\"text\"")]
    [InlineData("{\"a\":1} x")]
    [InlineData("{\"a\":1}{}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":/*comment*/1}")]
    [InlineData("{\"a\":[1,2}")]
    public void Refuses_anything_but_one_JSON_object(string json) =>
        Assert.Equal(40001, Refused(json).ErrorCode);

    [Fact]
    public void A_body_of_a_command_not_handled_is_not_held_to_the_message_fields()
    {
        var judgement = CallbackJudge.Judge("""{"GroupId":7,"MsgBody":[null]}"""u8, "Group.CallbackBeforeSendMsg", keepEveryField: false);

        Assert.Equal((Verdict.NotHandled, "Group.CallbackBeforeSendMsg"), (judgement.Verdict, judgement.Command));
    }

    [Fact]
    public void Malformed_text_is_refused_whatever_the_command()
    {
        var judgement = CallbackJudge.Judge("""{"GroupId":"\ud800"}"""u8, "Group.CallbackBeforeSendMsg", keepEveryField: false);

        Assert.Equal((Verdict.Refused, 40010), (judgement.Verdict, judgement.Refusal!.ErrorCode));
    }
}
