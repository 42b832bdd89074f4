using System.Text.Json;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Importing;

/// <summary>
/// What <c>POST /api/ops/history-imports</c> asks for: a group (or one topic) and, optionally, an inclusive range
/// of seqs; without one, everything Tencent still keeps.
/// </summary>
public sealed record HistoryImportRequest(string GroupId, string? TopicId, long? FromSeq, long? ToSeq)
{
    /// <summary>Tencent numbers a conversation's messages with 32-bit unsigned seqs: no seq is above this.</summary>
    public const long MaxSeq = uint.MaxValue;

    public Conversation Conversation => new(GroupId, TopicId);

    /// <summary>The request, or the reason it cannot be one, in words for the caller.</summary>
    public static HistoryImportRequest? Parse(ReadOnlyMemory<byte> json, out string? problem)
    {
        problem = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            problem = "The body must be a JSON object such as {\"GroupId\":\"@TGS#1ABC\",\"FromSeq\":1,\"ToSeq\":500}.";
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "The body must be a JSON object such as {\"GroupId\":\"@TGS#1ABC\"}.";
                return null;
            }
            string? groupId = null, topicId = null;
            long? from = null, to = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "GroupId" when property.Value.ValueKind == JsonValueKind.String:
                        groupId = property.Value.GetString();
                        break;
                    case "TopicId" when property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                        topicId = property.Value.GetString() is { Length: > 0 } topic ? topic : null;
                        break;
                    case "FromSeq" or "ToSeq" when property.Value.ValueKind == JsonValueKind.Null:
                        break;
                    case "FromSeq" or "ToSeq" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var seq) && seq is >= 1 and <= MaxSeq:
                        if (property.Name == "FromSeq")
                            from = seq;
                        else
                            to = seq;
                        break;
                    case "GroupId" or "TopicId":
                        problem = $"{property.Name} must be a string.";
                        return null;
                    case "FromSeq" or "ToSeq":
                        problem = $"{property.Name} must be a whole number from 1 to {MaxSeq} (Tencent numbers messages with 32-bit unsigned seqs).";
                        return null;
                    default:
                        problem = "Unknown field: only GroupId, TopicId, FromSeq and ToSeq are read.";
                        return null;
                }
            }
            if (string.IsNullOrEmpty(groupId))
                problem = "GroupId is required.";
            else if (from > to)
                problem = "FromSeq must not be above ToSeq (both are inclusive).";
            else if (!TableKeys.ConversationFits(groupId, topicId))
                problem = "GroupId and TopicId are too long to be stored.";
            return problem is null ? new HistoryImportRequest(groupId!, topicId, from, to) : null;
        }
    }
}
