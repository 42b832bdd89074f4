using System.Text;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Receiving;

public class CallbackBodyInspectorTests
{
    private static InspectedBody Inspect(string json)
    {
        Assert.True(CallbackBodyInspector.TryInspect(Encoding.UTF8.GetBytes(json), out var body), json);
        return body;
    }

    [Fact]
    public void Reads_the_routing_and_identity_fields_of_the_seed_sample()
    {
        var body = Inspect(CallbackRequests.SeedPageSample);

        Assert.Equal(("Group.CallbackAfterSendMsg", "@TGS#2J4SZEAEL", "Public", "jared"), (body.CallbackCommand, body.GroupId, body.Type, body.FromAccount));
        Assert.Equal((123L, 123456L, 1490686222L), (body.MsgSeq, body.Random, body.MsgTime));
        Assert.Null(body.MistypedField);
    }

    [Fact]
    public void Reads_escaped_strings_and_quoted_integers()
    {
        var body = Inspect("""{"GroupId":"@TGS\u00232J","MsgSeq":"\u0031\u0032"}""");

        Assert.Equal(("@TGS#2J", 12L), (body.GroupId, body.MsgSeq));
    }

    [Fact]
    public void Nested_fields_with_top_level_names_do_not_count()
    {
        var body = Inspect("""{"MsgBody":[{"GroupId":"inner","MsgSeq":"x"}],"Extra":{"MsgSeq":5},"MsgSeq":1}""");

        Assert.Equal((null, 1L), (body.GroupId, body.MsgSeq));
        Assert.Null(body.MistypedField);
    }

    [Theory]
    [InlineData("""{"MsgSeq":1.5}""", "MsgSeq")]
    [InlineData("""{"Random":"-"}""", "Random")]
    [InlineData("""{"From_Account":7}""", "From_Account")]
    [InlineData("""{"CloudCustomData":{}}""", "CloudCustomData")]
    [InlineData("""{"OnlineOnlyFlag":[1]}""", "OnlineOnlyFlag")]
    public void Names_the_first_field_of_the_wrong_type(string json, string field) =>
        Assert.Equal(field, GroupMessageFields.NameOf(Inspect(json).MistypedField!.Value));

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("\"text\"")]
    [InlineData("{\"a\":1} x")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":/*comment*/1}")]
    [InlineData("{\"a\":[1,2}")]
    public void Refuses_anything_but_one_JSON_object(string json) =>
        Assert.False(CallbackBodyInspector.TryInspect(Encoding.UTF8.GetBytes(json), out _));
}
