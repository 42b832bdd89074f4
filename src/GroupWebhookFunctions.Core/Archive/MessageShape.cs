using System.Text.Json;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using static GroupWebhookFunctions.Synchronizing.GroupMessageColumns;

namespace GroupWebhookFunctions.Archive;

/// <summary>
/// A stored message row written back as JSON, under Tencent's history names (<c>MsgRandom</c> is the row's
/// <c>Random</c>, <c>MsgTimeStamp</c> its <c>MsgTime</c>), MsgBody as the JSON array that was stored.
/// </summary>
public static class MessageShape
{
    public const string IsPlaceMsg = "IsPlaceMsg";
    public const string MsgRandom = "MsgRandom";
    public const string MsgTimeStamp = "MsgTimeStamp";

    /// <summary>
    /// Tencent's IsPlaceMsg: 2 recalled, 1 a hole (absent in Tencent's history, or a row only a later event made,
    /// whose send the store never received), 0 a message.
    /// </summary>
    public static int Place(TableEntity row) =>
        row.GetBoolean(Recalled) == true ? 2
        : row.GetBoolean(Absent) == true || !(row.ContainsKey(ReceivedAt) || row.ContainsKey(BackfilledAt)) ? 1
        : 0;

    public static long? Seq(TableEntity row) => row.GetInt64(GroupMessageFields.MsgSeq) ?? TableKeys.SequenceOf(row.RowKey);

    /// <summary>The archive's own shape: Tencent's fields, then what only the store knows.</summary>
    public static void WriteStored(Utf8JsonWriter writer, TableEntity row)
    {
        writer.WriteStartObject();
        ArchiveJson.WriteNumberOrNull(writer, GroupMessageFields.MsgSeq, Seq(row));
        ArchiveJson.WriteStringOrNull(writer, GroupMessageFields.FromAccount, row.GetString(GroupMessageFields.FromAccount));
        ArchiveJson.WriteNumberOrNull(writer, MsgRandom, row.GetInt64(GroupMessageFields.Random));
        ArchiveJson.WriteNumberOrNull(writer, MsgTimeStamp, row.GetInt64(GroupMessageFields.MsgTime));
        ArchiveJson.WriteNumberOrNull(writer, MsgPriority, row.GetInt64(MsgPriority));
        WriteJsonOr(writer, GroupMessageFields.MsgBody, row.GetString(GroupMessageFields.MsgBody), "[]");
        ArchiveJson.WriteStringOrNull(writer, GroupMessageFields.CloudCustomData, row.GetString(GroupMessageFields.CloudCustomData));
        writer.WriteNumber(IsPlaceMsg, Place(row));
        if (row.GetBoolean(IsSystemMsg) == true)
            writer.WriteNumber(IsSystemMsg, 1);
        ArchiveJson.WriteStringOrNull(writer, GroupMessageFields.MsgId, row.GetString(GroupMessageFields.MsgId));
        writer.WriteBoolean(Recalled, row.GetBoolean(Recalled) == true);
        ArchiveJson.WriteNumberOrNull(writer, RecalledAt, row.GetInt64(RecalledAt));
        ArchiveJson.WriteStringOrNull(writer, RecalledBy, row.GetString(RecalledBy));
        WriteJsonOr(writer, Extensions, row.GetString(Extensions), "{}");
        ArchiveJson.WriteNumberOrNull(writer, GroupMessageFields.ReadNum, row.GetInt64(GroupMessageFields.ReadNum));
        ArchiveJson.WriteNumberOrNull(writer, GroupMessageFields.UnreadNum, row.GetInt64(GroupMessageFields.UnreadNum));
        writer.WriteBoolean(Edited, row.GetBoolean(Edited) == true);
        ArchiveJson.WriteNumberOrNull(writer, EditedAt, row.GetInt64(EditedAt));
        WriteJsonOr(writer, OriginalMsgBody, row.GetString(OriginalMsgBody), null);
        ArchiveJson.WriteStringOrNull(writer, OriginalCloudCustomData, row.GetString(OriginalCloudCustomData));
        ArchiveJson.WriteTimeOrNull(writer, BackfilledAt, row.GetDateTimeOffset(BackfilledAt));
        ArchiveJson.WriteTimeOrNull(writer, ReceivedAt, row.GetDateTimeOffset(ReceivedAt));
        writer.WriteEndObject();
    }

    /// <summary>
    /// An entry of <c>RspMsgList</c> as Tencent writes it: a hole has an empty From_Account, MsgBody [] and zeros;
    /// MsgPriority is 1 where the row does not say (webhooks do not carry it). CloudCustomData and the fields only
    /// Tencent's history sent come back where the row has them.
    /// </summary>
    public static void WriteTencent(Utf8JsonWriter writer, TableEntity row)
    {
        var place = Place(row);
        var hole = place == 1;
        writer.WriteStartObject();
        writer.WriteString(GroupMessageFields.FromAccount, hole ? "" : row.GetString(GroupMessageFields.FromAccount) ?? "");
        writer.WriteNumber(IsPlaceMsg, place);
        WriteJsonOr(writer, GroupMessageFields.MsgBody, hole ? null : row.GetString(GroupMessageFields.MsgBody), "[]");
        writer.WriteNumber(MsgPriority, row.GetInt64(MsgPriority) ?? 1);
        writer.WriteNumber(MsgRandom, hole ? 0 : row.GetInt64(GroupMessageFields.Random) ?? 0);
        writer.WriteNumber(GroupMessageFields.MsgSeq, Seq(row) ?? 0);
        writer.WriteNumber(MsgTimeStamp, hole ? 0 : row.GetInt64(GroupMessageFields.MsgTime) ?? 0);
        if (row.GetBoolean(IsSystemMsg) == true)
            writer.WriteNumber(IsSystemMsg, 1);
        if (!hole && row.GetString(GroupMessageFields.CloudCustomData) is { } data)
            writer.WriteString(GroupMessageFields.CloudCustomData, data);
        WriteExtra(writer, row.GetString(HistoryExtraFields));
        writer.WriteEndObject();
    }

    /// <summary>A hole Tencent would show for a seq the store has no row for, between rows it has.</summary>
    public static void WriteTencentHole(Utf8JsonWriter writer, long seq)
    {
        WriteTencent(writer, new TableEntity("", TableKeys.SequenceRow(seq)) { [Absent] = true });
    }

    private static void WriteExtra(Utf8JsonWriter writer, string? extraFields)
    {
        if (extraFields is null)
            return;
        try
        {
            using var document = JsonDocument.Parse(extraFields);
            foreach (var property in document.RootElement.EnumerateObject())
                property.WriteTo(writer);
        }
        catch (JsonException)
        {
        }
    }

    /// <summary>A column that holds JSON, written as that JSON; text that is not JSON (never expected) as a string.</summary>
    private static void WriteJsonOr(Utf8JsonWriter writer, string name, string? json, string? fallback)
    {
        writer.WritePropertyName(name);
        if (json is null)
        {
            if (fallback is null)
                writer.WriteNullValue();
            else
                writer.WriteRawValue(fallback);
            return;
        }
        try
        {
            writer.WriteRawValue(json);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            writer.WriteStringValue(json);
        }
    }
}
