using System.Text.Json;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Archive;

/// <summary>A <c>group_msg_get_simple</c> request body, checked as Tencent checks it; a problem carries Tencent's ErrorCode.</summary>
public sealed record TencentHistoryRequest(string GroupId, string? TopicId, int ReqMsgNumber, long? ReqMsgSeq, bool WithRecalledMsg)
{
    public const long InvalidParameter = 10004;
    public const long InvalidGroupId = 10015;

    public static TencentHistoryRequest? Parse(ReadOnlyMemory<byte> body, out (long Code, string Info) problem)
    {
        problem = default;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            problem = (InvalidParameter, "The request body is not JSON.");
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = (InvalidParameter, "The request body must be a JSON object.");
                return null;
            }
            if (!root.TryGetProperty(GroupMessageFields.GroupId, out var group) || group.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(group.GetString()))
            {
                problem = (InvalidParameter, "GroupId is required, as a string.");
                return null;
            }
            string? topicId = null;
            if (root.TryGetProperty(GroupMessageFields.TopicId, out var topic) && topic.ValueKind != JsonValueKind.Null)
            {
                if (topic.ValueKind != JsonValueKind.String)
                {
                    problem = (InvalidParameter, "TopicId must be a string.");
                    return null;
                }
                topicId = ArchiveQuery.Topic(topic.GetString());
            }
            if (ArchiveQuery.CheckConversation(group.GetString(), topicId) is { } keyProblem)
            {
                problem = (InvalidGroupId, keyProblem);
                return null;
            }
            var number = Number(root, nameof(ReqMsgNumber));
            if (number is not > 0)
            {
                problem = (InvalidParameter, "ReqMsgNumber is required: a whole number, 1 or more (at most 20 are returned).");
                return null;
            }
            var seq = Number(root, nameof(ReqMsgSeq));
            if (root.TryGetProperty(nameof(ReqMsgSeq), out var seqValue) && seqValue.ValueKind != JsonValueKind.Null && seq is not >= 0)
            {
                problem = (InvalidParameter, "ReqMsgSeq must be a MsgSeq: a whole number, 0 or more.");
                return null;
            }
            var recalled = Number(root, nameof(WithRecalledMsg));
            if (root.TryGetProperty(nameof(WithRecalledMsg), out var recalledValue) && recalledValue.ValueKind != JsonValueKind.Null && recalled is not (0 or 1))
            {
                problem = (InvalidParameter, "WithRecalledMsg must be 0 or 1.");
                return null;
            }
            return new TencentHistoryRequest(group.GetString()!, topicId, (int)Math.Min(number.Value, int.MaxValue), seq, recalled == 1);
        }
    }

    private static long? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? FlexibleInteger.Read(value) : null;
}
