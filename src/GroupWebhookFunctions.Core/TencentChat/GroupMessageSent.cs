using System.Text.Json;
using System.Text.Json.Serialization;

namespace GroupWebhookFunctions.TencentChat;

/// <summary>The body of Group.CallbackAfterSendMsg. Fields Tencent adds later land in <see cref="ExtensionData"/>.</summary>
public sealed class GroupMessageSent
{
    [JsonPropertyName(GroupMessageFields.CallbackCommand)] public string? CallbackCommand { get; set; }
    [JsonPropertyName(GroupMessageFields.GroupId)] public string? GroupId { get; set; }
    [JsonPropertyName(GroupMessageFields.Type)] public string? Type { get; set; }
    [JsonPropertyName(GroupMessageFields.FromAccount)] public string? FromAccount { get; set; }
    [JsonPropertyName(GroupMessageFields.OperatorAccount)] public string? OperatorAccount { get; set; }
    [JsonPropertyName(GroupMessageFields.Random)] public long? Random { get; set; }
    [JsonPropertyName(GroupMessageFields.MsgSeq)] public long? MsgSeq { get; set; }
    [JsonPropertyName(GroupMessageFields.MsgTime)] public long? MsgTime { get; set; }
    [JsonPropertyName(GroupMessageFields.OnlineOnlyFlag)] public long? OnlineOnlyFlag { get; set; }
    [JsonPropertyName(GroupMessageFields.MsgBody)] public IList<MessageElement>? MsgBody { get; set; }
    [JsonPropertyName(GroupMessageFields.CloudCustomData)] public string? CloudCustomData { get; set; }
    [JsonPropertyName(GroupMessageFields.TopicId)] public string? TopicId { get; set; }
    [JsonPropertyName(GroupMessageFields.EventTime)] public long? EventTime { get; set; }
    [JsonPropertyName(GroupMessageFields.MsgId)] public string? MsgId { get; set; }

    [JsonExtensionData] public IDictionary<string, JsonElement>? ExtensionData { get; set; }

    public IdentityProblem TryIdentify(out MessageIdentity identity) =>
        MessageIdentity.TryCreate(GroupId, TopicId, Type, MsgSeq, MsgId, FromAccount, Random, MsgTime, out identity);
}
