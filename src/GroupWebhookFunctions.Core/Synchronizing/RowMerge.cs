using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using static GroupWebhookFunctions.Synchronizing.GroupMessageColumns;

namespace GroupWebhookFunctions.Synchronizing;

/// <summary>A message's identity, written on its row by whichever event reaches the row first.</summary>
public sealed record MessageStub(MessageIdentity Identity, string? Type)
{
    public string PartitionKey => TableKeys.MessagePartition(Identity);

    public string RowKey => TableKeys.MessageRow(Identity);

    /// <summary>Sets each identity column the row lacks; the send, when it comes, writes them all.</summary>
    public void FillIn(TableEntity row)
    {
        FillIn(row, GroupMessageFields.GroupId, Identity.GroupId);
        FillIn(row, GroupMessageFields.TopicId, Identity.TopicId);
        FillIn(row, GroupMessageFields.Type, Type);
        FillIn(row, GroupMessageFields.MsgId, Identity.MsgId);
        if (Identity.MsgSeq > 0 && !row.ContainsKey(GroupMessageFields.MsgSeq))
            row[GroupMessageFields.MsgSeq] = Identity.MsgSeq;
    }

    private static void FillIn(TableEntity row, string column, string? value)
    {
        if (value is not null && !row.ContainsKey(column))
            row[column] = value;
    }
}

/// <summary>One extension entry: a key, its value (empty when deleted) and its version.</summary>
public readonly record struct ExtensionEntry(string Key, string? Value, long Seq);

/// <summary>
/// How a row absorbs each kind of event: the one place where two versions of a row meet. Every rule gives the same
/// row whatever order its events come in and however often each repeats, so concurrent handlers, retries and
/// redeliveries all end in the same state. Each returns the row to write, or null when the row already says it all.
/// </summary>
public static partial class RowMerge
{
    /// <summary>
    /// What a recalled message's content is, removed (with its blobs) when the app keeps no recalled content: every
    /// version of it, the first one an edit kept included.
    /// </summary>
    public static readonly string[] ContentColumns =
        [GroupMessageFields.MsgBody, Text, GroupMessageFields.CloudCustomData, OriginalMsgBody, OriginalCloudCustomData];

    /// <summary>The send fills in a row a later event made first, keeping what that event said; a second send changes nothing.</summary>
    public static TableEntity? Send(TableEntity? current, TableEntity sent, bool eraseRecalled)
    {
        if (current is null)
            return sent;
        if (current.ContainsKey(ReceivedAt))
            return null;
        var merged = Copy(current);
        foreach (var (name, value) in sent)
        {
            if (!IsSystem(name))
                merged[name] = value;
        }
        if (eraseRecalled && merged.GetBoolean(Recalled) == true)
            RemoveContent(merged);
        return merged;
    }

    /// <summary>
    /// A row from Tencent's history fills in what the row lacks and never overwrites what a webhook wrote: the
    /// webhook carries more (MsgId, CloudCustomData, Type). History adds one fact a webhook row can lack: that the
    /// message was recalled, when the recall's own webhook was lost.
    /// </summary>
    public static TableEntity? Backfill(TableEntity? current, TableEntity history, bool eraseRecalled)
    {
        var row = current is null ? Copy(history) : Copy(current);
        if (current is not null && !current.ContainsKey(ReceivedAt))
        {
            foreach (var (name, value) in history)
            {
                if (!IsSystem(name) && !row.ContainsKey(name) && !row.ContainsKey(name + LargeValues.BlobSuffix))
                    row[name] = value;
            }
        }
        if (history.GetBoolean(Recalled) == true)
            row[Recalled] = true;
        if (eraseRecalled && row.GetBoolean(Recalled) == true)
            RemoveContent(row);
        return Changed(current, row);
    }

    /// <summary>
    /// A message's content re-pulled from history: where MsgBody or CloudCustomData differs from the row, the row
    /// takes Tencent's, is marked edited, and keeps the first version it stored. A recalled or absent row is left alone.
    /// </summary>
    /// <remarks>A null <paramref name="cloudCustomData"/> means history did not say (it is not documented there), so the row's stays.</remarks>
    public static TableEntity? Edit(TableEntity? current, string? msgBody, string? cloudCustomData, long editedAt)
    {
        if (current is null || current.GetBoolean(Recalled) == true || current.GetBoolean(Absent) == true || msgBody is null)
            return null;
        var bodyChanged = !JsonEquals(current.GetString(GroupMessageFields.MsgBody), msgBody);
        var dataChanged = cloudCustomData is not null && current.GetString(GroupMessageFields.CloudCustomData) != cloudCustomData;
        if (!bodyChanged && !dataChanged)
            return null;
        var row = Copy(current);
        if (!row.ContainsKey(OriginalMsgBody))
        {
            Set(row, OriginalMsgBody, current.GetString(GroupMessageFields.MsgBody));
            Set(row, OriginalCloudCustomData, current.GetString(GroupMessageFields.CloudCustomData));
        }
        row[GroupMessageFields.MsgBody] = msgBody;
        Set(row, Text, GroupMessageMapper.RenderText(GroupMessageMapper.ReadElements(Encoding.UTF8.GetBytes(msgBody))));
        if (cloudCustomData is not null)
            row[GroupMessageFields.CloudCustomData] = cloudCustomData;
        row[Edited] = true;
        row[EditedAt] = editedAt;
        return row;
    }

    /// <summary>Recalled once and for all: the earliest recall names when and by whom.</summary>
    public static TableEntity? Recall(TableEntity? current, MessageStub stub, long recalledAt, string? recalledBy, bool erase)
    {
        var row = Start(current, stub);
        var (at, by) = (row.GetInt64(RecalledAt), row.GetString(RecalledBy));
        if (row.GetBoolean(Recalled) != true || at is null || IsEarlier(recalledAt, recalledBy, at.Value, by))
        {
            row[Recalled] = true;
            row[RecalledAt] = recalledAt;
            Set(row, RecalledBy, recalledBy);
        }
        if (erase)
            RemoveContent(row);
        return Changed(current, row);
    }

    /// <summary>Per key, the highest Seq wins, a deletion or a clear included; ExtensionSeq is the highest Seq seen.</summary>
    public static TableEntity? Extend(TableEntity? current, MessageStub stub, long operateType, IReadOnlyList<ExtensionEntry> entries, long seq)
    {
        var row = Start(current, stub);
        var state = ExtensionState.Read(row);
        state.Apply(operateType, entries, seq);
        state.Write(row);
        return Changed(current, row);
    }

    /// <summary>Counts only move toward more read: the most readers and the fewest unread seen.</summary>
    public static TableEntity? CountReads(TableEntity? current, MessageStub stub, long? readNum, long? unreadNum)
    {
        var row = Start(current, stub);
        if (readNum is { } read && (row.GetInt64(GroupMessageFields.ReadNum) is not { } stored || read > stored))
            row[GroupMessageFields.ReadNum] = read;
        if (unreadNum is { } unread && (row.GetInt64(GroupMessageFields.UnreadNum) is not { } storedUnread || unread < storedUnread))
            row[GroupMessageFields.UnreadNum] = unread;
        return Changed(current, row);
    }

    /// <summary>
    /// Adds the fields no version of this app names that an event carried, under a column of the event's own, where
    /// the row has none yet: Tencent's repeats carry the same ones.
    /// </summary>
    public static RowChange KeepingExtraFields(RowChange change, string column, string? extraFields) => extraFields is null ? change : current =>
    {
        var next = change(current);
        var row = next ?? (current is null ? null : Copy(current));
        if (row is null || row.ContainsKey(column))
            return next;
        row[column] = extraFields;
        return row;
    };

    /// <summary>Orders two events by time, then by who, so that the same one is kept whichever comes first.</summary>
    private static bool IsEarlier(long at, string? by, long storedAt, string? storedBy) =>
        at < storedAt || (at == storedAt && string.CompareOrdinal(by ?? "", storedBy ?? "") < 0);

    /// <summary>Two MsgBody texts say the same when their JSON is the same, whatever the spacing.</summary>
    private static bool JsonEquals(string? stored, string pulled)
    {
        if (stored is null)
            return false;
        if (stored == pulled)
            return true;
        try
        {
            using var a = JsonDocument.Parse(stored);
            using var b = JsonDocument.Parse(pulled);
            return JsonElement.DeepEquals(a.RootElement, b.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static TableEntity Start(TableEntity? current, MessageStub stub)
    {
        var row = current is null ? new TableEntity(stub.PartitionKey, stub.RowKey) : Copy(current);
        stub.FillIn(row);
        return row;
    }

    private static void RemoveContent(TableEntity row)
    {
        foreach (var column in ContentColumns)
        {
            row.Remove(column);
            row.Remove(column + LargeValues.BlobSuffix);
        }
    }

    private static void Set(TableEntity row, string column, string? value)
    {
        if (value is null)
            row.Remove(column);
        else
            row[column] = value;
    }

    /// <summary>A row's own columns, with its ETag, to change without touching the row as read.</summary>
    public static TableEntity Copy(TableEntity row)
    {
        var copy = new TableEntity(row.PartitionKey, row.RowKey) { ETag = row.ETag };
        foreach (var (name, value) in row)
        {
            if (!IsSystem(name))
                copy[name] = value;
        }
        return copy;
    }

    private static bool IsSystem(string name) => name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag";

    /// <summary>The row to write, or null when it holds exactly what <paramref name="current"/> holds.</summary>
    private static TableEntity? Changed(TableEntity? current, TableEntity row)
    {
        if (current is null)
            return row;
        var stored = current.Where(p => !IsSystem(p.Key)).ToList();
        var next = row.Where(p => !IsSystem(p.Key)).ToList();
        return stored.Count == next.Count && next.TrueForAll(p => current.TryGetValue(p.Key, out var value) && Equals(value, p.Value)) ? null : row;
    }

    /// <summary>A message's extension as three columns: live keys, tombstones of deleted keys, and the clear's Seq.</summary>
    private sealed class ExtensionState
    {
        private readonly SortedDictionary<string, (string Value, long Seq)> _live = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, long> _deleted = new(StringComparer.Ordinal);
        private long _cleared;
        private long? _seq;

        public static ExtensionState Read(TableEntity row)
        {
            var state = new ExtensionState { _cleared = row.GetInt64(ExtensionsClearedSeq) ?? 0, _seq = row.GetInt64(ExtensionSeq) };
            if (row.GetString(Extensions) is { } live)
            {
                using var document = JsonDocument.Parse(live);
                foreach (var key in document.RootElement.EnumerateObject())
                    state._live[key.Name] = (key.Value.GetProperty("Value").GetString() ?? "", key.Value.GetProperty("Seq").GetInt64());
            }
            if (row.GetString(ExtensionDeletions) is { } deleted)
            {
                using var document = JsonDocument.Parse(deleted);
                foreach (var key in document.RootElement.EnumerateObject())
                    state._deleted[key.Name] = key.Value.GetInt64();
            }
            return state;
        }

        public void Apply(long operateType, IReadOnlyList<ExtensionEntry> entries, long seq)
        {
            _seq = Math.Max(_seq ?? seq, seq);
            if (operateType == TencentChat.Callbacks.AfterGroupMsgExtension.Clear)
            {
                _cleared = Math.Max(_cleared, seq);
                foreach (var key in _live.Where(k => k.Value.Seq <= _cleared).Select(k => k.Key).ToList())
                    _live.Remove(key);
                return;
            }
            foreach (var entry in entries)
            {
                if (operateType == TencentChat.Callbacks.AfterGroupMsgExtension.Delete)
                {
                    _deleted[entry.Key] = Math.Max(_deleted.GetValueOrDefault(entry.Key), entry.Seq);
                    if (_live.TryGetValue(entry.Key, out var live) && live.Seq <= entry.Seq)
                        _live.Remove(entry.Key);
                }
                else if (entry.Seq > _cleared && entry.Seq > _deleted.GetValueOrDefault(entry.Key, long.MinValue)
                    && (!_live.TryGetValue(entry.Key, out var live) || live.Seq < entry.Seq))
                {
                    _live[entry.Key] = (entry.Value ?? "", entry.Seq);
                }
            }
        }

        public void Write(TableEntity row)
        {
            row[Extensions] = Render(writer =>
            {
                foreach (var (key, (value, seq)) in _live)
                {
                    writer.WriteStartObject(key);
                    writer.WriteString("Value", value);
                    writer.WriteNumber("Seq", seq);
                    writer.WriteEndObject();
                }
            });
            if (_deleted.Count > 0)
                row[ExtensionDeletions] = Render(writer =>
                {
                    foreach (var (key, seq) in _deleted)
                        writer.WriteNumber(key, seq);
                });
            if (_cleared > 0)
                row[ExtensionsClearedSeq] = _cleared;
            if (_seq is { } latest)
                row[ExtensionSeq] = latest;
        }

        private static string Render(Action<Utf8JsonWriter> writeProperties)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writeProperties(writer);
                writer.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }
}
