using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Tests.TencentChat;

public class MessageIdentityTests
{
    [Fact]
    public void A_message_with_MsgSeq_is_identified_by_its_sequence()
    {
        Assert.Equal(IdentityProblem.None, MessageIdentity.TryCreate("@TGS#1", null, "Public", 5, "m-1", "a", 1, 2, out var identity));
        Assert.Equal(MessageIdentityKind.Sequence, identity.Kind);
        Assert.Equal(5, identity.MsgSeq);
    }

    [Theory]
    [InlineData("AVChatRoom")]
    [InlineData("avchatroom")]
    public void An_AVChatRoom_message_is_identified_by_MsgId_even_with_a_MsgSeq(string type)
    {
        Assert.Equal(IdentityProblem.None, MessageIdentity.TryCreate("@TGS#aLive", null, type, 5, "m-1", "a", 1, 2, out var identity));
        Assert.Equal(MessageIdentityKind.MessageId, identity.Kind);
    }

    [Fact]
    public void Without_MsgSeq_or_MsgId_the_sender_random_and_time_identify_the_message()
    {
        Assert.Equal(IdentityProblem.None, MessageIdentity.TryCreate("@TGS#aLive", null, "AVChatRoom", null, null, "alice", 4294967295, 1700000000, out var identity));
        Assert.Equal(MessageIdentityKind.ContentHash, identity.Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_message_without_GroupId_cannot_be_identified(string? groupId) =>
        Assert.Equal(IdentityProblem.GroupIdMissing, MessageIdentity.TryCreate(groupId, null, "Public", 5, null, "a", 1, 2, out _));

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("alice", null, 1700000000L)]
    [InlineData("alice", 7L, null)]
    [InlineData("", 7L, 1700000000L)]
    public void A_message_without_MsgSeq_MsgId_or_all_fallback_fields_cannot_be_identified(string? from, long? random, long? msgTime) =>
        Assert.Equal(IdentityProblem.NoIdentifyingFields, MessageIdentity.TryCreate("@TGS#1", null, "Public", null, null, from, random, msgTime, out _));

    [Fact]
    public void A_zero_MsgSeq_is_not_trusted() =>
        Assert.Equal(IdentityProblem.NoIdentifyingFields, MessageIdentity.TryCreate("@TGS#1", null, "Public", 0, null, null, null, null, out _));
}
