using System.Text.Json;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;

namespace GroupWebhookFunctions.Archive;

/// <summary>
/// <c>group_msg_get_simple</c> answered from the store, as Tencent answers it: at most 20 entries, newest first, from
/// an inclusive ReqMsgSeq (the newest when absent) down; recalled messages only with WithRecalledMsg 1; a seq the store
/// has no row for, between rows it has, as Tencent's hole (IsPlaceMsg 1). Below the lowest seq the store holds, the
/// history is finished (IsFinished 1), as Tencent's is at the edge of its retention.
/// </summary>
public sealed class TencentHistoryService(ArchiveReader reader)
{
    public const long GroupUnknown = 10010;
    public const long NotSupported = 10007;
    public const long InternalError = 10002;

    public async Task<byte[]> AnswerAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (TencentHistoryRequest.Parse(body, out var problem) is not { } request)
            return Fail(problem.Code, problem.Info);
        var partition = TableKeys.ConversationPartition(request.GroupId, request.TopicId);
        var summaryRead = reader.SummaryAsync(request.GroupId, request.TopicId, cancellationToken);
        var lowestRead = reader.LowestKeyAsync(partition, "", ArchiveReader.AfterSequenceRows, cancellationToken);
        await Task.WhenAll(summaryRead, lowestRead).ConfigureAwait(false);
        if (await summaryRead.ConfigureAwait(false) is not { } summary)
            return Fail(GroupUnknown, request.TopicId is null ? "The group does not exist in the store." : "The topic does not exist in the store.");
        if (string.Equals(summary.GetString(GroupMessageFields.Type), MessageIdentity.AudioVideoGroupType, StringComparison.OrdinalIgnoreCase))
            return Fail(NotSupported, "AVChatRoom groups have no history in this API; read GET /api/groups/{groupId}/messages.");

        var floor = await lowestRead.ConfigureAwait(false) is { } lowest ? TableKeys.SequenceOf(lowest)!.Value : long.MaxValue;
        var newest = summary.GetInt64(GroupMessageFields.MsgSeq) ?? 0;
        var number = Math.Min(request.ReqMsgNumber, GroupHistory.MaxPerCall);
        var seq = Math.Min(request.ReqMsgSeq ?? newest, newest);
        var entries = new List<Action<Utf8JsonWriter>>(number);
        while (entries.Count < number && seq >= floor)
        {
            var low = Math.Max(floor, seq - GroupHistory.MaxPerCall + 1);
            var rows = (await reader.MessagesAsync(partition, TableKeys.SequenceRow(low - 1), TableKeys.SequenceRow(seq + 1), null, cancellationToken).ConfigureAwait(false))
                .ToDictionary(r => r.RowKey, StringComparer.Ordinal);
            for (; seq >= low && entries.Count < number; seq--)
            {
                var s = seq;
                if (!rows.TryGetValue(TableKeys.SequenceRow(s), out var row))
                    entries.Add(writer => MessageShape.WriteTencentHole(writer, s));
                else if (MessageShape.Place(row) != 2 || request.WithRecalledMsg)
                    entries.Add(writer => MessageShape.WriteTencent(writer, row));
            }
        }
        return JsonObject.Write(writer =>
        {
            writer.WriteString("ActionStatus", "OK");
            writer.WriteString("ErrorInfo", "");
            writer.WriteNumber("ErrorCode", 0);
            writer.WriteString(GroupMessageFields.GroupId, request.GroupId);
            writer.WriteNumber("IsFinished", seq < floor ? 1 : 0);
            writer.WriteStartArray("RspMsgList");
            foreach (var entry in entries)
                entry(writer);
            writer.WriteEndArray();
        });
    }

    public static byte[] Fail(long code, string info) => JsonObject.Write(writer =>
    {
        writer.WriteString("ActionStatus", "FAIL");
        writer.WriteString("ErrorInfo", info);
        writer.WriteNumber("ErrorCode", code);
    });
}
