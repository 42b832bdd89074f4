using System.Collections.Specialized;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using GroupWebhookFunctions.Archive;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Testing;

namespace GroupWebhookFunctions.LoadHarness;

/// <summary>
/// Reading the archive against Azurite: table requests and blob reads per page, and pages of 100 messages through
/// the archive route's service (query checks, token, rows, JSON) against the bare table query of the same rows.
/// </summary>
public static class ArchiveLoad
{
    private const int Groups = 8;
    private const int MessagesPerGroup = 2000;
    private const int PageSize = 100;
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static async Task<string> RunAsync(string connection, int operations, int concurrency, int rounds)
    {
        var tables = new RequestCounter();
        var blobs = new RequestCounter();
        var bare = new RequestCounter();
        TableClient Table(string name, RequestCounter counter) => new(connection, name, counter.AddTo(new TableClientOptions()));
        var payloads = new BlobPayloadStore(new BlobContainerClient(connection, StorageNames.PayloadContainer, blobs.AddTo(new BlobClientOptions())));
        var store = new TableGroupMessageStore(Table(StorageNames.MessageTable, new RequestCounter()), Table(StorageNames.SummaryTable, new RequestCounter()),
            Table(StorageNames.ReaderTable, new RequestCounter()), Table(StorageNames.FailureTable, new RequestCounter()), Table(StorageNames.ImportTable, new RequestCounter()),
            payloads, TimeProvider.System);
        var reader = new ArchiveReader(Table(StorageNames.MessageTable, tables), Table(StorageNames.SummaryTable, tables), Table(StorageNames.ReaderTable, tables), payloads);
        var archive = new ArchiveService(reader, new MessagePager(reader));
        var bareMessages = Table(StorageNames.MessageTable, bare);
        foreach (var name in new[] { StorageNames.MessageTable, StorageNames.SummaryTable, StorageNames.ReaderTable })
            await new TableClient(connection, name).CreateIfNotExistsAsync();

        Console.WriteLine($"Archive: seeding {Groups} groups of {MessagesPerGroup} messages");
        for (var g = 0; g < Groups; g++)
            await SeedAsync(connection, store, $"@TGS#ARCHIVE{g}", MessagesPerGroup, offloadedEvery: 0);
        await SeedAsync(connection, store, "@TGS#LARGE", PageSize, offloadedEvery: 20);

        var report = new StringBuilder();
        report.AppendLine(Culture, $"Archive reads, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Groups} groups of {MessagesPerGroup} messages (1 KB MsgBody), pages of {PageSize}, {concurrency} in flight, {operations} pages a side per round, median of {rounds} rounds, {Environment.ProcessorCount} cores, Azurite in memory on loopback.");
        report.AppendLine();
        report.AppendLine("| page | table requests | blob reads |");
        report.AppendLine("|---|---|---|");
        async Task Count(string label, string groupId, string query)
        {
            var (t, b) = (tables.Count, blobs.Count);
            var answer = await archive.MessagesAsync(groupId, Query(query), CancellationToken.None);
            if (answer.Status != System.Net.HttpStatusCode.OK)
                throw new InvalidOperationException(Encoding.UTF8.GetString(answer.Body));
            report.AppendLine(Culture, $"| {label} | {tables.Count - t} | {blobs.Count - b} |");
        }
        var tokens = await TokensAsync(archive, "@TGS#ARCHIVE0", "limit=100");
        var ascTokens = await TokensAsync(archive, "@TGS#ARCHIVE0", "limit=100&order=asc");
        await Count("first page, newest first (summary + rows)", "@TGS#ARCHIVE0", "limit=100");
        await Count("following page, newest first (next)", "@TGS#ARCHIVE0", "limit=100&next=" + tokens[3]);
        await Count("following page, oldest first (next)", "@TGS#ARCHIVE0", "limit=100&order=asc&next=" + ascTokens[3]);
        await Count("first page with before= (summary + rows)", "@TGS#ARCHIVE0", "limit=100&before=1234");
        await Count("first page, 5 of its 100 MsgBody values offloaded", "@TGS#LARGE", "limit=100");

        // Throughput: following pages (each the rows' one request) against the bare query of the same key range.
        var pages = new List<(string GroupId, string Query, string Low, string High)>();
        for (var g = 0; g < Groups; g++)
        {
            var groupTokens = await TokensAsync(archive, $"@TGS#ARCHIVE{g}", "limit=100&order=asc");
            for (var i = 0; i < groupTokens.Count; i++)
            {
                var first = (long)(i + 1) * PageSize;
                pages.Add(($"@TGS#ARCHIVE{g}", "limit=100&order=asc&next=" + groupTokens[i], TableKeys.SequenceRow(first), TableKeys.SequenceRow(first + PageSize + 1)));
            }
        }
        async Task Ours(int i)
        {
            var page = pages[i % pages.Count];
            var answer = await archive.MessagesAsync(page.GroupId, Query(page.Query), CancellationToken.None);
            if (answer.Status != System.Net.HttpStatusCode.OK || answer.Body.Length < PageSize * 1000)
                throw new InvalidOperationException("A page came back short.");
        }
        async Task Bare(int i)
        {
            var page = pages[i % pages.Count];
            var partition = TableKeys.EscapeKey(page.GroupId);
            var rows = 0;
            await foreach (var row in bareMessages.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {page.Low} and RowKey lt {page.High}"), PageSize))
                rows++;
            if (rows != PageSize)
                throw new InvalidOperationException("The bare query came back short.");
        }
        var results = new List<(Measurement Ours, Measurement Bare)>();
        for (var round = 0; round < rounds; round++)
        {
            Measurement ours, baseline;
            if (round % 2 == 0)
            {
                ours = await Measurement.RunAsync(operations, concurrency, Ours, () => tables.Count);
                baseline = await Measurement.RunAsync(operations, concurrency, Bare, () => bare.Count);
            }
            else
            {
                baseline = await Measurement.RunAsync(operations, concurrency, Bare, () => bare.Count);
                ours = await Measurement.RunAsync(operations, concurrency, Ours, () => tables.Count);
            }
            results.Add((ours, baseline));
            Console.WriteLine($"round {round + 1}: ours {ours.PerSecond:F0} pages/s, bare {baseline.PerSecond:F0} pages/s");
        }
        double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }
        var (oursRate, bareRate) = (Median(results.Select(r => r.Ours.PerSecond)), Median(results.Select(r => r.Bare.PerSecond)));
        report.AppendLine();
        report.AppendLine("| pages of 100 | bare table query | archive route (service) | ratio |");
        report.AppendLine("|---|---|---|---|");
        report.AppendLine(Culture, $"| pages/s | {bareRate:F0} | {oursRate:F0} | **{oursRate / bareRate:F2}** |");
        report.AppendLine(Culture, $"| p50 ms | {Median(results.Select(r => r.Bare.P50)):F1} | {Median(results.Select(r => r.Ours.P50)):F1} | |");
        report.AppendLine(Culture, $"| p99 ms | {Median(results.Select(r => r.Bare.P99)):F1} | {Median(results.Select(r => r.Ours.P99)):F1} | |");
        report.AppendLine(Culture, $"| table requests a page | {Median(results.Select(r => r.Bare.RequestsPerOperation)):F2} | {Median(results.Select(r => r.Ours.RequestsPerOperation)):F2} | |");
        var ratios = results.Select(r => r.Ours.PerSecond / r.Bare.PerSecond).ToList();
        report.AppendLine();
        report.AppendLine(Culture, $"Ratio (archive / bare) per round: {string.Join(", ", ratios.Select(r => r.ToString("F2", Culture)))}; median of the rounds' ratios **{Median(ratios):F2}**.");

        // Our own work on a page, without storage: the rows as the query returned them, rendered as the route renders them.
        var rows = await reader.MessagesAsync(TableKeys.ConversationPartition("@TGS#ARCHIVE0", null), TableKeys.SequenceRow(100), TableKeys.SequenceRow(201), null, CancellationToken.None);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        const int Renders = 2000;
        for (var i = 0; i < Renders; i++)
            JsonObject.Write(writer =>
            {
                writer.WriteStartArray("Messages");
                foreach (var row in rows)
                    MessageShape.WriteStored(writer, row);
                writer.WriteEndArray();
            });
        report.AppendLine(Culture, $"Rendering a page of {rows.Count} rows as the route does (no storage): {watch.Elapsed.TotalMilliseconds * 1000 / Renders:F0} µs a page.");
        return report.ToString();
    }

    private static NameValueCollection Query(string query) => System.Web.HttpUtility.ParseQueryString(query);

    /// <summary>Every Next token of a conversation's walk, in order.</summary>
    private static async Task<List<string>> TokensAsync(ArchiveService archive, string groupId, string query)
    {
        var tokens = new List<string>();
        string? next = null;
        do
        {
            var answer = await archive.MessagesAsync(groupId, Query(query + (next is null ? "" : "&next=" + Uri.EscapeDataString(next))), CancellationToken.None);
            using var page = JsonDocument.Parse(answer.Body);
            next = page.RootElement.GetProperty("Next").GetString();
            if (next is not null)
                tokens.Add(Uri.EscapeDataString(next));
        }
        while (next is not null);
        return tokens;
    }

    /// <summary>Rows as webhooks leave them (a 1 KB MsgBody), a transaction per 100; every <paramref name="offloadedEvery"/>th one over 32K, through the store.</summary>
    private static async Task SeedAsync(string connection, TableGroupMessageStore store, string groupId, int count, int offloadedEvery)
    {
        var messages = new TableClient(connection, StorageNames.MessageTable);
        var partition = TableKeys.ConversationPartition(groupId, null);
        var batch = new List<TableTransactionAction>();
        for (var seq = 1L; seq <= count; seq++)
        {
            var large = offloadedEvery > 0 && seq % offloadedEvery == 0;
            var text = new string('m', large ? 40_000 : 960);
            var row = new TableEntity(partition, TableKeys.SequenceRow(seq))
            {
                [GroupMessageFields.GroupId] = groupId,
                [GroupMessageFields.MsgSeq] = seq,
                [GroupMessageFields.FromAccount] = "user" + (seq % 7).ToString(Culture),
                [GroupMessageFields.Random] = 1000 + seq,
                [GroupMessageFields.MsgTime] = 1764000000 + seq,
                [GroupMessageFields.MsgBody] = $$$"""[{"MsgType":"TIMTextElem","MsgContent":{"Text":"{{{text}}}"}}]""",
                [GroupMessageColumns.ReceivedAt] = DateTimeOffset.UtcNow,
            };
            if (large)
            {
                await store.AddMessageAsync(row, CancellationToken.None);
                continue;
            }
            batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
            if (batch.Count == 100)
            {
                await messages.SubmitTransactionAsync(batch);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
            await messages.SubmitTransactionAsync(batch);
        await new TableClient(connection, StorageNames.SummaryTable).UpsertEntityAsync(new TableEntity(TableKeys.SummaryPartition(groupId), TableKeys.SummaryRow((string?)null))
        {
            [GroupMessageFields.GroupId] = groupId,
            [GroupMessageFields.MsgSeq] = (long)count,
            [GroupMessageFields.Type] = "Public",
        });
    }
}
