using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Receiving;

/// <summary>The few top-level fields the receiver needs to route and identify a callback, read without building a DOM.</summary>
public sealed class InspectedBody
{
    public string? CallbackCommand { get; set; }
    public string? GroupId { get; set; }
    public string? TopicId { get; set; }
    public string? Type { get; set; }
    public string? FromAccount { get; set; }
    public string? MsgId { get; set; }
    public long? MsgSeq { get; set; }
    public long? Random { get; set; }
    public long? MsgTime { get; set; }

    /// <summary>The first field whose JSON type is not what Tencent documents, if any.</summary>
    public string? MistypedField { get; set; }

    public IdentityProblem TryIdentify(out MessageIdentity identity) =>
        MessageIdentity.TryCreate(GroupId, TopicId, Type, MsgSeq, MsgId, FromAccount, Random, MsgTime, out identity);
}
