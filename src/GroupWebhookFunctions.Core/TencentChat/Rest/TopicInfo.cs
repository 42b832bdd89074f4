using System.Text.Json;

namespace GroupWebhookFunctions.TencentChat.Rest;

/// <summary>One entry of <c>get_topic</c>: its own ErrorCode and the topic's fields; <see cref="Newest"/> is <c>NextMsgSeq - 1</c>.</summary>
public sealed record TopicProfile(string? TopicId, long ErrorCode, long? NextMsgSeq, long? LastMsgTime, long? CreateTime)
{
    public long? Newest => NextMsgSeq is { } next ? Math.Max(0, next - 1) : null;

    public bool Gone => RestErrorCodes.Classify(ErrorCode) == RestFailure.GroupGone;
}

/// <summary>
/// <c>v4/million_group_open_http_svc/get_topic</c>: the topics of one topic-enabled Community, every topic when no
/// list is given. Tencent documents no per-call maximum; asking for at most <see cref="MaxPerCall"/> named topics
/// keeps each answer small. <c>From_Account</c> is required: the admin asks.
/// </summary>
public sealed class TopicInfo(TencentRestClient client, TencentChatOptions chat)
{
    public const string Command = "million_group_open_http_svc/get_topic";

    public const int MaxPerCall = 50;

    public static readonly IReadOnlyList<string> Fields = ["NextMsgSeq", "LastMsgTime", "CreateTime"];

    public async Task<IReadOnlyList<TopicProfile>> ReadAsync(string groupId, IReadOnlyList<string>? topicIds, CancellationToken cancellationToken)
    {
        using var answer = await client.CallAsync(Command, writer =>
        {
            writer.WriteString(GroupMessageFields.GroupId, groupId);
            writer.WriteString(GroupMessageFields.FromAccount, chat.AdminIdentifier);
            if (topicIds is not null)
            {
                writer.WriteStartArray("TopicIdList");
                foreach (var id in topicIds)
                    writer.WriteStringValue(id);
                writer.WriteEndArray();
            }
            writer.WriteStartArray("ResponseFilter");
            foreach (var field in Fields)
                writer.WriteStringValue(field);
            writer.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
        return Read(answer.RootElement);
    }

    public static IReadOnlyList<TopicProfile> Read(JsonElement root)
    {
        var topics = new List<TopicProfile>();
        if (!root.TryGetProperty("TopicAndSelfInfo", out var list) || list.ValueKind != JsonValueKind.Array)
            return topics;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
                continue;
            var info = item.TryGetProperty("TopicInfo", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
            var has = info.ValueKind == JsonValueKind.Object;
            topics.Add(new TopicProfile(has ? GroupInfo.Text(info, GroupMessageFields.TopicId) : null, GroupInfo.Number(item, GroupMessageFields.ErrorCode) ?? 0,
                has ? GroupInfo.Number(info, "NextMsgSeq") : null, has ? GroupInfo.Number(info, "LastMsgTime") : null, has ? GroupInfo.Number(info, "CreateTime") : null));
        }
        return topics;
    }
}
