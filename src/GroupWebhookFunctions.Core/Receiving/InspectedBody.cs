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
    public GroupMessageField? MistypedField { get; set; }

    public static bool Keeps(GroupMessageField field) => field is GroupMessageField.CallbackCommand or GroupMessageField.GroupId
        or GroupMessageField.TopicId or GroupMessageField.Type or GroupMessageField.FromAccount or GroupMessageField.MsgId;

    public void Keep(GroupMessageField field, string? value)
    {
        switch (field)
        {
            case GroupMessageField.CallbackCommand: CallbackCommand = value; break;
            case GroupMessageField.GroupId: GroupId = value; break;
            case GroupMessageField.TopicId: TopicId = value; break;
            case GroupMessageField.Type: Type = value; break;
            case GroupMessageField.FromAccount: FromAccount = value; break;
            case GroupMessageField.MsgId: MsgId = value; break;
        }
    }

    public void Keep(GroupMessageField field, long? value)
    {
        switch (field)
        {
            case GroupMessageField.MsgSeq: MsgSeq = value; break;
            case GroupMessageField.Random: Random = value; break;
            case GroupMessageField.MsgTime: MsgTime = value; break;
        }
    }

    public IdentityProblem TryIdentify(out MessageIdentity identity) =>
        MessageIdentity.TryCreate(GroupId, TopicId, Type, MsgSeq, MsgId, FromAccount, Random, MsgTime, out identity);
}
