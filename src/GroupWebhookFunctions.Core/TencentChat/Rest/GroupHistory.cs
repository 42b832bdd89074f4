using System.Text.Json;

namespace GroupWebhookFunctions.TencentChat.Rest;

/// <summary>What <c>IsPlaceMsg</c> says of a seq in Tencent's history.</summary>
public enum HistoryPlace
{
    Message = 0,

    /// <summary>A hole: deleted, expired or never stored. The seq is closed for good.</summary>
    Absent = 1,

    Recalled = 2,
}

/// <summary>
/// One entry of <c>RspMsgList</c>. MsgBody is kept as the JSON Tencent sent; fields no version names, likewise.
/// CloudCustomData is not documented for history, but is read when Tencent sends it.
/// </summary>
public sealed record HistoryMessage(
    long MsgSeq,
    HistoryPlace Place,
    string? FromAccount,
    long? Random,
    long? MsgTime,
    long? MsgPriority,
    bool IsSystemMsg,
    string? MsgBody,
    string? CloudCustomData,
    string? ExtraFields);

/// <summary>A page of a conversation's history, newest first, and Tencent's IsFinished.</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryMessage> Messages, long IsFinished);

/// <summary>
/// <c>v4/group_open_http_svc/group_msg_get_simple</c>: a conversation's history, at most 20 a call, newest first,
/// from an inclusive ReqMsgSeq down; recalled messages included so a page has no silent holes.
/// </summary>
public sealed class GroupHistory(TencentRestClient client)
{
    public const string Command = "group_open_http_svc/group_msg_get_simple";

    /// <summary>Tencent returns at most 20 messages a call.</summary>
    public const int MaxPerCall = 20;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        GroupMessageFields.MsgSeq, "IsPlaceMsg", GroupMessageFields.FromAccount, "MsgRandom", "MsgTimeStamp", "MsgPriority", "IsSystemMsg",
        GroupMessageFields.MsgBody, GroupMessageFields.CloudCustomData,
    };

    /// <summary>
    /// The messages with seq at most <paramref name="upTo"/> (the newest when null), at most <paramref name="count"/>.
    /// An answer over Tencent's 1 MB is asked for again in halves.
    /// </summary>
    public async Task<HistoryPage> PageAsync(Conversation conversation, long? upTo, int count, CancellationToken cancellationToken)
    {
        count = Math.Clamp(count, 1, MaxPerCall);
        while (true)
        {
            try
            {
                using var answer = await client.CallAsync(Command, writer =>
                {
                    writer.WriteString(GroupMessageFields.GroupId, conversation.GroupId);
                    if (conversation.TopicId is not null)
                        writer.WriteString(GroupMessageFields.TopicId, conversation.TopicId);
                    writer.WriteNumber("ReqMsgNumber", count);
                    if (upTo is { } seq)
                        writer.WriteNumber("ReqMsgSeq", seq);
                    writer.WriteNumber("WithRecalledMsg", 1);
                }, cancellationToken).ConfigureAwait(false);
                return Read(answer.RootElement);
            }
            catch (TencentApiException ex) when (ex.Failure == RestFailure.AnswerTooLarge && count > 1)
            {
                count /= 2;
            }
        }
    }

    public static HistoryPage Read(JsonElement root)
    {
        var messages = new List<HistoryMessage>();
        if (root.TryGetProperty("RspMsgList", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && Number(item, GroupMessageFields.MsgSeq) is long seq and > 0)
                    messages.Add(ReadMessage(item, seq));
            }
        }
        return new HistoryPage(messages, Number(root, "IsFinished") ?? 0);
    }

    private static HistoryMessage ReadMessage(JsonElement item, long seq)
    {
        var place = Number(item, "IsPlaceMsg") switch
        {
            1 => HistoryPlace.Absent,
            2 => HistoryPlace.Recalled,
            _ => HistoryPlace.Message,
        };
        string? body = item.TryGetProperty(GroupMessageFields.MsgBody, out var elements) && elements.ValueKind is JsonValueKind.Array or JsonValueKind.Object
            && !(elements.ValueKind == JsonValueKind.Array && elements.GetArrayLength() == 0)
            ? elements.GetRawText()
            : null;
        return new HistoryMessage(
            seq,
            place,
            item.TryGetProperty(GroupMessageFields.FromAccount, out var from) && from.ValueKind == JsonValueKind.String ? from.GetString() : null,
            Number(item, "MsgRandom"),
            Number(item, "MsgTimeStamp"),
            Number(item, "MsgPriority"),
            Number(item, "IsSystemMsg") == 1,
            body,
            item.TryGetProperty(GroupMessageFields.CloudCustomData, out var data) && data.ValueKind == JsonValueKind.String ? data.GetString() : null,
            ExtraFields(item));
    }

    private static string? ExtraFields(JsonElement item)
    {
        var extra = item.EnumerateObject().Where(p => !Known.Contains(p.Name)).ToList();
        if (extra.Count == 0)
            return null;
        return JsonObject.WriteText(writer =>
        {
            foreach (var property in extra)
                property.WriteTo(writer);
        });
    }

    private static long? Number(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? FlexibleInteger.Read(value) : null;
}
