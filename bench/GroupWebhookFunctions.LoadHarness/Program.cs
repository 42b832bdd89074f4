using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GroupWebhookFunctions.Benchmarks;
using GroupWebhookFunctions.Hosting;
using GroupWebhookFunctions.LoadHarness;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Testing;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

// Drives our handlers and the bare storage calls they stand on, side by side, against a real Azurite.
var options = HarnessOptions.Parse(args);
var root = HarnessOptions.FindRepositoryRoot();
await using var azurite = await AzuriteProcess.StartAsync(root);
var connection = azurite.ConnectionString;
var culture = CultureInfo.InvariantCulture;
// Scenarios that write their own report; without one, the receive and sync rounds below run.
var scenarios = new Dictionary<string, Func<Task<string>>>
{
    ["reconcile"] = () => ReconcileLoad.RunAsync(connection, options.CallsPerSecond, options.Groups, Math.Min(options.Groups, 1000)),
    ["archive"] = () => ArchiveLoad.RunAsync(connection, options.Requests, options.Concurrency, options.Rounds),
    ["discovery"] = () => DiscoveryLoad.RunAsync(connection, options.CallsPerSecond, [options.Groups], 1000),
    ["relay"] = () => RelayLoad.RunAsync(connection, options.Requests, options.Concurrency, options.Rounds),
};
if (scenarios.TryGetValue(options.Scenario, out var scenario))
{
    var scenarioReport = await scenario();
    Console.WriteLine(scenarioReport);
    if (options.Output is { } scenarioOutput)
        await File.WriteAllTextAsync(scenarioOutput, scenarioReport);
    return;
}
Console.WriteLine($"{options.Requests} operations a round, {options.Concurrency} in flight, {options.Rounds} rounds, {Environment.ProcessorCount} cores");

// Receive: our handler with its real queue client versus SendMessageAsync of the same envelope.
var body = Webhooks.Body(1024);
var receiveCounter = new RequestCounter();
var rawCounter = new RequestCounter();
var queueOptions = () => new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
var ourQueue = new QueueClient(connection, StorageNames.EventQueue, receiveCounter.AddTo(queueOptions()));
var rawQueue = new QueueClient(connection, "raw-events", rawCounter.AddTo(queueOptions()));
await ourQueue.CreateIfNotExistsAsync();
await rawQueue.CreateIfNotExistsAsync();
var clock = TimeProvider.System;
var receiver = new CallbackReceiver(Webhooks.Options(), new StorageEventSink(ourQueue, new BlobPayloadStore(new BlobContainerClient(connection, StorageNames.PayloadContainer)), clock), clock, NullLogger<CallbackReceiver>.Instance);
using var sampleEnvelope = EnvelopeWriter.Write(Webhooks.SignedQuery(), GroupWebhookFunctions.TencentChat.Callbacks.AfterSendMsg.Command, body, clock.GetUtcNow());
var envelope = new BinaryData(sampleEnvelope.WrittenSpan.ToArray());

async Task Receive(int _)
{
    var time = clock.GetUtcNow().ToUnixTimeSeconds().ToString(culture);
    var query = new CallbackQuery(Webhooks.SdkAppId, GroupWebhookFunctions.TencentChat.Callbacks.AfterSendMsg.Command, "203.0.113.7", "Android", CallbackSignature.Compute(Webhooks.Token, time), time);
    using var stream = new MemoryStream(body, writable: false);
    var reply = await receiver.ReceiveAsync(query, stream, null, CancellationToken.None);
    if (!reply.IsOk)
        throw new InvalidOperationException($"The receiver answered {reply.StatusCode} {reply.ErrorInfo}");
}

Task RawSend(int _) => rawQueue.SendMessageAsync(envelope);

// Sync: our synchronizer versus the same table writes issued directly with entities mapped beforehand.
const int Groups = 50;
var syncCounter = new RequestCounter();
var directCounter = new RequestCounter();
TableClient Table(string name, RequestCounter counter) => new(connection, name, counter.AddTo(new TableClientOptions()));
var directMessages = Table("DirectMessages", directCounter);
var directSummaries = Table("DirectSummaries", directCounter);
foreach (var table in new[] { Table(StorageNames.MessageTable, syncCounter), Table(StorageNames.SummaryTable, syncCounter), directMessages, directSummaries })
    await table.CreateIfNotExistsAsync();
var payloads = new BlobPayloadStore(new BlobContainerClient(connection, StorageNames.PayloadContainer));
var syncStore = new TableGroupMessageStore(Table(StorageNames.MessageTable, syncCounter), Table(StorageNames.SummaryTable, syncCounter),
    Table(StorageNames.ReaderTable, syncCounter), Table(StorageNames.FailureTable, syncCounter), Table(StorageNames.ImportTable, syncCounter), payloads, clock);
var synchronizer = new GroupMessageSynchronizer(
    GroupMessageSynchronizer.Handlers(syncStore, Webhooks.Options()),
    payloads,
    new StorageEventSink(new QueueClient(connection, StorageNames.PoisonQueue, queueOptions()), payloads, clock),
    clock,
    NullLogger<GroupMessageSynchronizer>.Instance);

BinaryData[] Envelopes(int round) => [.. Enumerable.Range(0, options.Requests).Select(i =>
{
    var text = Encoding.UTF8.GetString(body)
        .Replace("\"MsgSeq\":123", $"\"MsgSeq\":{round * options.Requests + i + 1}", StringComparison.Ordinal)
        .Replace("@TGS#2J4SZEAEL", $"@TGS#load{i % Groups}", StringComparison.Ordinal);
    using var written = EnvelopeWriter.Write(Webhooks.SignedQuery(), GroupWebhookFunctions.TencentChat.Callbacks.AfterSendMsg.Command, Encoding.UTF8.GetBytes(text), clock.GetUtcNow());
    return new BinaryData(written.WrittenSpan.ToArray());
})];

// Startup: the worker's own DI, options and clients, with storage where nothing listens.
var startups = new List<double>();
for (var i = 0; i < 5; i++)
{
    var started = Stopwatch.GetTimestamp();
    var builder = FunctionsApplication.CreateBuilder([]);
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        [StorageNames.Connection] = AzuriteProcess.UnreachableConnectionString(),
        ["TencentChat:SdkAppId"] = Webhooks.SdkAppId,
    });
    builder.Services.AddGroupWebhooks(builder.Configuration);
    var services = builder.Build().Services;
    services.GetRequiredService<CallbackReceiver>();
    services.GetRequiredService<GroupMessageSynchronizer>();
    startups.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}

var results = new Dictionary<string, List<Measurement>> { ["receive"] = [], ["raw"] = [], ["sync"] = [], ["direct"] = [] };
await Measurement.RunAsync(200, options.Concurrency, Receive, () => 0); // warm-up: JIT, connections
await Measurement.RunAsync(200, options.Concurrency, RawSend, () => 0);
for (var round = 0; round < options.Rounds; round++)
{
    // Alternate which side goes first, so neither always meets the warmer or the fuller Azurite.
    var (first, second) = round % 2 == 0 ? ("receive", "raw") : ("raw", "receive");
    foreach (var side in new[] { first, second })
    {
        results[side].Add(side == "receive"
            ? await Measurement.RunAsync(options.Requests, options.Concurrency, Receive, () => receiveCounter.Count)
            : await Measurement.RunAsync(options.Requests, options.Concurrency, RawSend, () => rawCounter.Count));
    }
    await ourQueue.ClearMessagesAsync();
    await rawQueue.ClearMessagesAsync();

    var ours = Envelopes(round);
    var direct = ours.Select(e => GroupMessageMapper.Map(SyncedEvent.From(System.Text.Json.JsonSerializer.Deserialize(e.ToMemory().Span, TencentChatJsonContext.Default.EventEnvelope)!))).ToArray();
    async Task Direct(int i)
    {
        await directMessages.AddEntityAsync(direct[i].Message);
        var summary = direct[i].Summary;
        await directSummaries.UpsertEntityAsync(new TableEntity(summary.PartitionKey, summary.RowKey) { ["MsgSeq"] = summary.MsgSeq, ["MsgTime"] = summary.MsgTime, ["From_Account"] = summary.FromAccount }, TableUpdateMode.Replace);
    }
    foreach (var side in round % 2 == 0 ? new[] { "sync", "direct" } : ["direct", "sync"])
    {
        results[side].Add(side == "sync"
            ? await Measurement.RunAsync(options.Requests, options.Concurrency, i => synchronizer.SynchronizeAsync(ours[i], CancellationToken.None), () => syncCounter.Count)
            : await Measurement.RunAsync(options.Requests, options.Concurrency, Direct, () => directCounter.Count));
    }
    Console.WriteLine($"round {round + 1}: receive {results["receive"][^1].PerSecond:F0}/s, raw {results["raw"][^1].PerSecond:F0}/s, sync {results["sync"][^1].PerSecond:F0}/s, direct {results["direct"][^1].PerSecond:F0}/s");
}

const string AfterSendMsgCommand = GroupWebhookFunctions.TencentChat.Callbacks.AfterSendMsg.Command;

// Later life: storage round trips per event, on rows that exist (their messages sent first) and on rows that do not.
const int LaterEvents = 200;
BinaryData EnvelopeOf(string command, string json)
{
    using var written = EnvelopeWriter.Write(Webhooks.SignedQuery(command), command, Encoding.UTF8.GetBytes(json), clock.GetUtcNow());
    return new BinaryData(written.WrittenSpan.ToArray());
}
async Task<double> TripsPerEvent(IEnumerable<BinaryData> events)
{
    var list = events.ToList();
    syncCounter.Reset();
    foreach (var item in list)
    {
        if (await synchronizer.SynchronizeAsync(item, CancellationToken.None) == SyncOutcome.Rejected)
            throw new InvalidOperationException("A later-life event was rejected.");
    }
    return (double)syncCounter.Count / list.Count;
}
string Group(string kind, int i) => $"@TGS#{kind}{i}";
string SendOf(string group, int seq) => Encoding.UTF8.GetString(body).Replace("@TGS#2J4SZEAEL", group, StringComparison.Ordinal).Replace("\"MsgSeq\":123", $"\"MsgSeq\":{seq}", StringComparison.Ordinal);
string RecallOf(string group, int seq) => $$"""{"CallbackCommand":"Group.CallbackAfterRecallMsg","Operator_Account":"admin","Type":"Public","GroupId":"{{group}}","MsgSeqList":[{"MsgSeq":{{seq}}}],"EventTime":1670574414123}""";
string ExtensionOf(string group, int seq) => $$"""{"CallbackCommand":"Group.CallbackAfterGroupMsgExtension","GroupId":"{{group}}","MsgSeq":{{seq}},"OperateType":1,"ExtensionList":[{"Key":"k","Value":"v","Seq":5}],"Seq":5,"EventTime":1764688294360}""";
string ReceiptOf(string group, int seq) => $$"""{"CallbackCommand":"Group.CallbackAfterReadReceipt","GroupId":"{{group}}","Type":"Public","GroupMsgReceiptList":[{"MsgSeq":{{seq}},"ReadNum":1,"UnreadNum":6,"ReadReceiptMembers":[{"Member_Account":"user0"}]}],"EventTime":1670574414123}""";
string DisbandOf(string group) => $$"""{"CallbackCommand":"Group.CallbackAfterGroupDestroyed","Operator_Account":"admin","GroupId":"{{group}}","Type":"Public","Owner_Account":"leckie","Name":"g","MemberList":[{"Member_Account":"leckie"}],"EventTime":1670574414123}""";
string TopicEndOf(string group) => $$"""{"CallbackCommand":"Group.CallbackAfterTopicDestroyed","GroupId":"{{group}}","Type":"Community","TopicIdList":["{{group}}@TOPIC#_a"]}""";
string FailureOf(string group, int i) => $$"""{"CallbackCommand":"Group.CallbackSendMsgException","GroupId":"{{group}}","Type":"Public","From_Account":"jared","Random":{{i}},"MsgBody":[],"ErrorCode":10023,"ErrorInfo":"limit","EventTime":1670574414123}""";
// Azurite's in-memory tables slow down as they fill: start this part from empty tables.
foreach (var name in new[] { StorageNames.MessageTable, StorageNames.SummaryTable, "DirectMessages", "DirectSummaries" })
    await new TableClient(connection, name).DeleteAsync();
await TripsPerEvent(Enumerable.Range(1, LaterEvents).Select(i => EnvelopeOf(AfterSendMsgCommand, SendOf(Group("sent", i), i))));
var laterLife = new List<(string Command, double Existing, double Absent)>
{
    ("Group.CallbackAfterRecallMsg", await TripsPerEvent(Enumerable.Range(1, LaterEvents).Select(i => EnvelopeOf("Group.CallbackAfterRecallMsg", RecallOf(Group("sent", i), i)))),
        await TripsPerEvent(Enumerable.Range(1, LaterEvents).Select(i => EnvelopeOf("Group.CallbackAfterRecallMsg", RecallOf(Group("recall", i), i))))),
    ("Group.CallbackAfterGroupMsgExtension", await TripsPerEvent(Enumerable.Range(1, LaterEvents).Select(i => EnvelopeOf("Group.CallbackAfterGroupMsgExtension", ExtensionOf(Group("sent", i), i)))),
        await TripsPerEvent(Enumerable.Range(1, LaterEvents).Select(i => EnvelopeOf("Group.CallbackAfterGroupMsgExtension", ExtensionOf(Group("extension", i), i))))),
    ("Group.CallbackAfterReadReceipt (message row + reader rows)", await TripsPerEvent(Enumerable.Range(1, LaterEvents).Select(i => EnvelopeOf("Group.CallbackAfterReadReceipt", ReceiptOf(Group("sent", i), i)))),
        await TripsPerEvent(Enumerable.Range(1, LaterEvents).Select(i => EnvelopeOf("Group.CallbackAfterReadReceipt", ReceiptOf(Group("receipt", i), i))))),
    ("Group.CallbackAfterGroupDestroyed", await TripsPerEvent(Enumerable.Range(1, LaterEvents).Select(i => EnvelopeOf("Group.CallbackAfterGroupDestroyed", DisbandOf(Group("sent", i))))),
        await TripsPerEvent(Enumerable.Range(1, LaterEvents).Select(i => EnvelopeOf("Group.CallbackAfterGroupDestroyed", DisbandOf(Group("disband", i)))))),
    ("Group.CallbackAfterTopicDestroyed (one topic)", double.NaN,
        await TripsPerEvent(Enumerable.Range(1, LaterEvents).Select(i => EnvelopeOf("Group.CallbackAfterTopicDestroyed", TopicEndOf(Group("topic", i)))))),
    ("Group.CallbackSendMsgException", double.NaN,
        await TripsPerEvent(Enumerable.Range(1, LaterEvents).Select(i => EnvelopeOf("Group.CallbackSendMsgException", FailureOf(Group("failure", i), i))))),
    ("Group.CallbackAfterSendMsg after a later event made its row", await TripsPerEvent(Enumerable.Range(1, LaterEvents).Select(i => EnvelopeOf(AfterSendMsgCommand, SendOf(Group("recall", i), i)))), double.NaN),
};

double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

var report = new StringBuilder();
report.AppendLine(culture, $"Load harness, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {options.Requests} operations a round, {options.Concurrency} in flight, median of {options.Rounds} rounds, {Environment.ProcessorCount} cores, Azurite in memory on loopback.");
report.AppendLine();
report.AppendLine("| path | ours | bare storage calls | ours / bare |");
report.AppendLine("|---|---|---|---|");
void Row(string label, string ours, string bare, Func<Measurement, double> metric, string format)
{
    var a = Median(results[ours].Select(metric));
    var b = Median(results[bare].Select(metric));
    report.AppendLine(culture, $"| {label} | {a.ToString(format, culture)} | {b.ToString(format, culture)} | {(a / b).ToString("F2", culture)} |");
}
Row("receive: webhooks/s (vs SendMessageAsync)", "receive", "raw", m => m.PerSecond, "F0");
Row("receive: p50 latency, ms", "receive", "raw", m => m.P50, "F2");
Row("receive: p99 latency, ms", "receive", "raw", m => m.P99, "F2");
Row("receive: storage round trips per webhook", "receive", "raw", m => m.RequestsPerOperation, "F2");
Row("sync: messages/s (vs AddEntity + UpsertEntity)", "sync", "direct", m => m.PerSecond, "F0");
Row("sync: p50 latency, ms", "sync", "direct", m => m.P50, "F2");
Row("sync: p99 latency, ms", "sync", "direct", m => m.P99, "F2");
Row("sync: storage round trips per message", "sync", "direct", m => m.RequestsPerOperation, "F2");
report.AppendLine();
report.AppendLine(culture, $"Later life, storage round trips per event ({LaterEvents} events each, one message or group per event):");
report.AppendLine();
report.AppendLine("| event | row exists | row absent |");
report.AppendLine("|---|---|---|");
foreach (var (command, existing, absent) in laterLife)
    report.AppendLine(culture, $"| {command} | {(double.IsNaN(existing) ? "-" : existing.ToString("F2", culture))} | {(double.IsNaN(absent) ? "-" : absent.ToString("F2", culture))} |");
report.AppendLine();
report.AppendLine(culture, $"Worker startup (FunctionsApplication.CreateBuilder, AddGroupWebhooks, Build, resolve both handlers; storage unreachable, so any network call would show): first {startups[0]:F0} ms, then median {Median(startups.Skip(1)):F1} ms.");

Console.WriteLine();
Console.WriteLine(report);
if (options.Output is { } output)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, report.ToString());
    Console.WriteLine($"Written to {Path.GetFullPath(output)}");
}
