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
/// An import's row in HistoryImports (PartitionKey its id, RowKey empty), with its first page's progress, and one row
/// per chain (RowKey <c>chain-01</c>, …) with the progress of that chain's disjoint range of seqs; its page messages on
/// history-import-pages: <c>{"Id":"…","Page":n}</c> for the first page, <c>{"Id":"…","Chain":c,"Page":n}</c> for a chain's.
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

        /// <summary>On the import's row: how many chains its remaining range was split into after the first page.</summary>
        public const string Chains = "Chains";
    }

    public static bool IsImportId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>The row key of chain <paramref name="chain"/> (from 1); 0 is the import's own row.</summary>
    public static string ChainRow(int chain) => chain == 0 ? Row : string.Create(CultureInfo.InvariantCulture, $"chain-{chain:D2}");

    /// <summary>Queues page <paramref name="page"/> of import <paramref name="id"/> (of its chain <paramref name="chain"/>, 0 for the import's own row), never to expire.</summary>
    public static async Task EnqueuePageAsync(QueueClient pages, string id, long page, TimeSpan delay, CancellationToken cancellationToken, int chain = 0)
    {
        var text = chain == 0
            ? string.Create(CultureInfo.InvariantCulture, $$"""{"Id":"{{id}}","Page":{{page}}}""")
            : string.Create(CultureInfo.InvariantCulture, $$"""{"Id":"{{id}}","Chain":{{chain}},"Page":{{page}}}""");
        await QueueMessages.SendAsync(pages, BinaryData.FromString(text), delay, cancellationToken).ConfigureAwait(false);
    }

    public static bool TryReadPage(string message, out string id, out long page) => TryReadPage(message, out id, out _, out page);

    public static bool TryReadPage(string message, out string id, out int chain, out long page)
    {
        (id, chain, page) = ("", 0, 0);
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Id", out var idValue) && IsImportId(idValue.GetString())
                && root.TryGetProperty("Page", out var pageValue) && pageValue.TryGetInt64(out page) && page >= 1
                && (!root.TryGetProperty("Chain", out var chainValue) || (chainValue.TryGetInt32(out chain) && chain is >= 1 and <= ImportChains.Max)))
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
