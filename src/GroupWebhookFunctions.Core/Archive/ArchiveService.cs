using System.Collections.Specialized;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using static GroupWebhookFunctions.Synchronizing.GroupMessageColumns;

namespace GroupWebhookFunctions.Archive;

/// <summary>The archive's own routes: a conversation's messages a page at a time, a group's summary, a message's readers.</summary>
public sealed class ArchiveService(ArchiveReader reader, MessagePager pager)
{
    public const int DefaultReaders = 100;
    public const int MaxReaders = 1000;

    public async Task<ArchiveAnswer> MessagesAsync(string groupId, NameValueCollection query, CancellationToken cancellationToken)
    {
        if (MessagePageRequest.Parse(groupId, query, out var problem) is not { } request)
            return ArchiveAnswer.BadRequest(problem!);
        PagePosition? position = null;
        if (request.Next is { } token && (position = PageToken.Read(token, request.Binding)) is null)
            return ArchiveAnswer.ForeignToken();

        long? complete;
        long newest = 0;
        bool keyOrder;
        if (position is null)
        {
            // The first page reads the summary (does the conversation exist, how far is it complete, where does it end);
            // its token carries what the following pages need, so each of them is the rows' own request.
            if (await reader.SummaryAsync(request.GroupId, request.TopicId, cancellationToken).ConfigureAwait(false) is not { } summary)
                return ArchiveAnswer.NotFound(Unknown(request.GroupId, request.TopicId));
            complete = summary.GetInt64(CompleteThroughSeq);
            newest = summary.GetInt64(GroupMessageFields.MsgSeq) ?? 0;
            keyOrder = string.Equals(summary.GetString(GroupMessageFields.Type), MessageIdentity.AudioVideoGroupType, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            complete = position.CompleteThroughSeq;
            keyOrder = TableKeys.SequenceOf(position.LastRowKey) is null;
        }
        if (keyOrder && (request.Before is not null || request.After is not null))
            return ArchiveAnswer.BadRequest("This is an AVChatRoom group: its messages have no MsgSeq, so before and after do not apply; page it with next.");

        var partition = TableKeys.ConversationPartition(request.GroupId, request.TopicId);
        var page = keyOrder
            ? await pager.KeyOrderAsync(partition, position?.LastRowKey, request.Limit, cancellationToken).ConfigureAwait(false)
            : await pager.SequenceAsync(partition, request.After, request.Before, position?.LastRowKey, newest, request.Limit, request.Order, cancellationToken).ConfigureAwait(false);

        return ArchiveAnswer.Ok(JsonObject.Write(writer =>
        {
            writer.WriteString(GroupMessageFields.GroupId, request.GroupId);
            ArchiveJson.WriteStringOrNull(writer, GroupMessageFields.TopicId, request.TopicId);
            writer.WriteStartArray("Messages");
            foreach (var row in page.Rows)
                MessageShape.WriteStored(writer, row);
            writer.WriteEndArray();
            ArchiveJson.WriteStringOrNull(writer, "Next", page.LastRowKey is { } last ? PageToken.Write(request.Binding, new PagePosition(last, complete)) : null);
            ArchiveJson.WriteNumberOrNull(writer, CompleteThroughSeq, complete);
        }));
    }

    public async Task<ArchiveAnswer> SummaryAsync(string groupId, NameValueCollection query, CancellationToken cancellationToken)
    {
        var topicId = ArchiveQuery.Topic(query["topicId"]);
        if (ArchiveQuery.CheckConversation(groupId, topicId) is { } problem)
            return ArchiveAnswer.BadRequest(problem);
        var rows = await reader.SummariesAsync(groupId, cancellationToken).ConfigureAwait(false);
        var groupRow = rows.Find(r => r.RowKey == TableKeys.SummaryRow((string?)null));
        var own = topicId is null ? groupRow : rows.Find(r => r.RowKey == TableKeys.SummaryRow(topicId));
        if (own is null)
            return ArchiveAnswer.NotFound(Unknown(groupId, topicId));
        return ArchiveAnswer.Ok(JsonObject.Write(writer =>
        {
            writer.WriteString(GroupMessageFields.GroupId, groupId);
            SummaryShape.Write(writer, own, groupRow);
            if (topicId is not null)
                return;
            // A community's topics are the rows beside the group's own; any other group has none.
            writer.WriteStartArray("Topics");
            foreach (var topic in rows.Where(r => r.RowKey.Length > 0))
            {
                writer.WriteStartObject();
                SummaryShape.Write(writer, topic, groupRow);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }));
    }

    public async Task<ArchiveAnswer> ReadersAsync(string groupId, string msgSeqText, NameValueCollection query, CancellationToken cancellationToken)
    {
        var topicId = ArchiveQuery.Topic(query["topicId"]);
        if (ArchiveQuery.CheckConversation(groupId, topicId) is { } problem)
            return ArchiveAnswer.BadRequest(problem);
        if (!long.TryParse(msgSeqText, NumberStyles.None, CultureInfo.InvariantCulture, out var msgSeq) || msgSeq < 1)
            return ArchiveAnswer.BadRequest("msgSeq must be a MsgSeq: a whole number, 1 or more.");
        if (!ArchiveQuery.TryLimit(query["limit"], DefaultReaders, MaxReaders, out var limit, out problem))
            return ArchiveAnswer.BadRequest(problem!);
        var binding = PageToken.Binding("readers", groupId, topicId, msgSeq, limit);
        PagePosition? position = null;
        if (query["next"] is { } token && (position = PageToken.Read(token, binding)) is null)
            return ArchiveAnswer.ForeignToken();

        var partition = TableKeys.ConversationPartition(groupId, topicId);
        var messageKey = TableKeys.SequenceRow(msgSeq);
        var messageRead = reader.MessageAsync(partition, messageKey, cancellationToken);
        var readersRead = reader.ReadersAsync(partition, messageKey, position?.LastRowKey, limit + 1, cancellationToken);
        await Task.WhenAll(messageRead, readersRead).ConfigureAwait(false);
        var message = await messageRead.ConfigureAwait(false);
        var readers = await readersRead.ConfigureAwait(false);
        if (message is null && readers.Count == 0)
            return ArchiveAnswer.NotFound(string.Create(CultureInfo.InvariantCulture, $"The store has no message {msgSeq} in {Conversation(groupId, topicId)}."));
        var more = readers.Count > limit;
        if (more)
            readers.RemoveAt(limit);
        return ArchiveAnswer.Ok(JsonObject.Write(writer =>
        {
            writer.WriteString(GroupMessageFields.GroupId, groupId);
            ArchiveJson.WriteStringOrNull(writer, GroupMessageFields.TopicId, topicId);
            writer.WriteNumber(GroupMessageFields.MsgSeq, msgSeq);
            ArchiveJson.WriteNumberOrNull(writer, GroupMessageFields.ReadNum, message?.GetInt64(GroupMessageFields.ReadNum));
            ArchiveJson.WriteNumberOrNull(writer, GroupMessageFields.UnreadNum, message?.GetInt64(GroupMessageFields.UnreadNum));
            writer.WriteStartArray("Readers");
            foreach (var row in readers)
                writer.WriteStringValue(row.GetString(GroupMessageFields.MemberAccount));
            writer.WriteEndArray();
            ArchiveJson.WriteStringOrNull(writer, "Next", more ? PageToken.Write(binding, new PagePosition(readers[^1].RowKey, null)) : null);
        }));
    }

    private static string Unknown(string groupId, string? topicId) => $"The store knows no {Conversation(groupId, topicId)}: no message of it was ever stored.";

    private static string Conversation(string groupId, string? topicId) => topicId is null ? $"group {groupId}" : $"topic {topicId} of group {groupId}";
}

/// <summary>A summary row (the group's or a topic's) as the summary route writes it.</summary>
internal static class SummaryShape
{
    public static void Write(Utf8JsonWriter writer, TableEntity row, TableEntity? groupRow)
    {
        ArchiveJson.WriteStringOrNull(writer, GroupMessageFields.TopicId, row.RowKey.Length == 0 ? null : row.GetString(GroupMessageFields.TopicId));
        ArchiveJson.WriteStringOrNull(writer, GroupMessageFields.Type, row.GetString(GroupMessageFields.Type) ?? groupRow?.GetString(GroupMessageFields.Type));
        if (row.GetInt64(GroupMessageFields.MsgSeq) is { } seq && seq > 0 || row.GetString(GroupMessageFields.MsgId) is not null)
        {
            writer.WriteStartObject("LatestMessage");
            ArchiveJson.WriteNumberOrNull(writer, GroupMessageFields.MsgSeq, row.GetInt64(GroupMessageFields.MsgSeq));
            ArchiveJson.WriteNumberOrNull(writer, MessageShape.MsgTimeStamp, row.GetInt64(GroupMessageFields.MsgTime));
            ArchiveJson.WriteStringOrNull(writer, GroupMessageFields.FromAccount, row.GetString(GroupMessageFields.FromAccount));
            ArchiveJson.WriteStringOrNull(writer, GroupMessageFields.MsgId, row.GetString(GroupMessageFields.MsgId));
            ArchiveJson.WriteNumberOrNull(writer, GroupMessageFields.EventTime, row.GetInt64(GroupMessageFields.EventTime));
            writer.WriteEndObject();
        }
        else
            writer.WriteNull("LatestMessage");
        ArchiveJson.WriteNumberOrNull(writer, CompleteThroughSeq, row.GetInt64(CompleteThroughSeq));
        writer.WriteBoolean(Disbanded, (groupRow ?? row).GetBoolean(Disbanded) == true);
        ArchiveJson.WriteNumberOrNull(writer, DisbandedAt, (groupRow ?? row).GetInt64(DisbandedAt));
        ArchiveJson.WriteStringOrNull(writer, DisbandedBy, (groupRow ?? row).GetString(DisbandedBy));
        writer.WriteBoolean(Deleted, row.GetBoolean(Deleted) == true);
        ArchiveJson.WriteNumberOrNull(writer, DeletedAt, row.GetInt64(DeletedAt));
        writer.WriteBoolean(GroupGone, row.GetBoolean(GroupGone) == true);
        ArchiveJson.WriteNumberOrNull(writer, BackfilledCount, row.GetInt64(BackfilledCount));
        ArchiveJson.WriteNumberOrNull(writer, AbsentCount, row.GetInt64(AbsentCount));
        ArchiveJson.WriteTimeOrNull(writer, LastReconciledAt, row.GetDateTimeOffset(LastReconciledAt));
    }
}
