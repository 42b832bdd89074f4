using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.Importing;

public static class ImportState
{
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
}

/// <summary>
/// An import's row in HistoryImports (PartitionKey its id, RowKey empty), which is its progress, and its page messages
/// on history-import-pages: <c>{"Id":"…","Page":n}</c>.
/// </summary>
public static class ImportRecord
{
    public const string Row = "";

    public static class Columns
    {
        public const string State = "State";
        public const string FromSeq = "FromSeq";
        public const string ToSeq = "ToSeq";
        public const string PagesDone = "PagesDone";
        public const string MessagesWritten = "MessagesWritten";
        public const string Absent = "Absent";
        public const string NextReqMsgSeq = "NextReqMsgSeq";
        public const string LastError = "LastError";
        public const string CreatedAt = "CreatedAt";
        public const string UpdatedAt = "UpdatedAt";
    }

    public static bool IsImportId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>Queues page <paramref name="page"/> of import <paramref name="id"/>, never to expire.</summary>
    public static async Task EnqueuePageAsync(QueueClient pages, string id, long page, TimeSpan delay, CancellationToken cancellationToken)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $$"""{"Id":"{{id}}","Page":{{page}}}""");
        await QueueMessages.SendAsync(pages, BinaryData.FromString(text), delay, cancellationToken).ConfigureAwait(false);
    }

    public static bool TryReadPage(string message, out string id, out long page)
    {
        (id, page) = ("", 0);
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Id", out var idValue) && IsImportId(idValue.GetString())
                && root.TryGetProperty("Page", out var pageValue) && pageValue.TryGetInt64(out page) && page >= 1)
            {
                id = idValue.GetString()!;
                return true;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
        }
        return false;
    }
}
