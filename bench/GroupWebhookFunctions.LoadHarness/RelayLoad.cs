using System.Globalization;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GroupWebhookFunctions.Benchmarks;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.Relaying;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GroupWebhookFunctions.LoadHarness;

/// <summary>
/// Relaying, each side against its baseline in the same run, against Azurite and a stand-in handler on loopback:
/// acknowledgements with the relay on versus off; a before-event through the receiver versus posted to the handler
/// directly; deliveries from relay-deliveries versus posting the same requests directly.
/// </summary>
public static class RelayLoad
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static async Task<string> RunAsync(string connection, int requests, int concurrency, int rounds)
    {
        await using var handler = new StandInHandler();
        var relay = new RelayOptions { Url = handler.Url, MaxAttempts = 8 };
        var chat = Webhooks.Options();
        var clock = TimeProvider.System;
        var queueOptions = () => new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var payloads = new BlobPayloadStore(new BlobContainerClient(connection, StorageNames.PayloadContainer));
        var offCounter = new RequestCounter();
        var onCounter = new RequestCounter();
        var offQueue = new QueueClient(connection, StorageNames.EventQueue, offCounter.AddTo(queueOptions()));
        var onQueue = new QueueClient(connection, StorageNames.EventQueue, onCounter.AddTo(queueOptions()));
        var relayQueue = new QueueClient(connection, StorageNames.RelayQueue, onCounter.AddTo(queueOptions()));
        foreach (var queue in new[] { offQueue, relayQueue })
            await queue.CreateIfNotExistsAsync();
        var client = new HandlerClient(HandlerClient.CreateHttpClient());
        var forwarder = new BeforeEventForwarder(relay, client, clock, NullLogger<BeforeEventForwarder>.Instance);
        var off = new CallbackReceiver(chat, new StorageEventSink(offQueue, payloads, clock), clock, NullLogger<CallbackReceiver>.Instance);
        var on = new CallbackReceiver(chat, new StorageEventSink(onQueue, payloads, clock), clock, NullLogger<CallbackReceiver>.Instance, null,
            new CallbackRelay(relay, forwarder, new StorageEventSink(relayQueue, payloads, clock)));
        var body = Webhooks.Body(1024);
        var unavailable = 0;
        var before = Encoding.UTF8.GetBytes("""{"CallbackCommand":"Group.CallbackBeforeSendMsg","GroupId":"@TGS#2J4SZEAEL","Type":"Public","From_Account":"jared","Random":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hello"}}]}""");

        Func<int, Task> Receive(CallbackReceiver receiver, string command, byte[] bytes) => async _ =>
        {
            var time = clock.GetUtcNow().ToUnixTimeSeconds().ToString(Culture);
            var query = new CallbackQuery(Webhooks.SdkAppId, command, "203.0.113.7", "Android", CallbackSignature.Compute(Webhooks.Token, time), time);
            using var stream = new MemoryStream(bytes, writable: false);
            var reply = await receiver.ReceiveAsync(query, stream, null, CancellationToken.None).ConfigureAwait(false);
            // A 503 (storage slower than the enqueue timeout on a busy machine) is counted and reported, not hidden.
            if (reply.StatusCode != 200)
                Interlocked.Increment(ref unavailable);
        };
        var direct = new Uri(handler.Url + "?SdkAppid=" + Webhooks.SdkAppId);
        async Task PostDirect(int _)
        {
            var answer = await client.PostAsync(direct, before, TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            if (!answer.Succeeded)
                throw new InvalidOperationException(answer.Failure);
        }

        var report = new StringBuilder();
        report.AppendLine(Culture, $"Relay: {requests} operations a round, {concurrency} in flight, {rounds} rounds, {Environment.ProcessorCount} cores");

        // 1. Acknowledgement of group messages, relay off versus on (alternating which goes first).
        await Measurement.RunAsync(1, 1, Receive(off, AfterSendMsg.Command, body), () => 0);
        await Measurement.RunAsync(1, 1, Receive(on, AfterSendMsg.Command, body), () => 0);
        await Measurement.RunAsync(200, concurrency, Receive(off, AfterSendMsg.Command, body), () => 0);
        await Measurement.RunAsync(200, concurrency, Receive(on, AfterSendMsg.Command, body), () => 0);
        var acks = new Dictionary<string, List<Measurement>> { ["off"] = [], ["on"] = [] };
        for (var round = 0; round < rounds; round++)
        {
            foreach (var side in round % 2 == 0 ? new[] { "off", "on" } : ["on", "off"])
            {
                acks[side].Add(side == "off"
                    ? await Measurement.RunAsync(requests, concurrency, Receive(off, AfterSendMsg.Command, body), () => offCounter.Count)
                    : await Measurement.RunAsync(requests, concurrency, Receive(on, AfterSendMsg.Command, body), () => onCounter.Count));
            }
        }
        report.AppendLine("| acknowledgement | per second | p50 ms | p99 ms | storage requests per webhook |").AppendLine("|---|---|---|---|---|");
        foreach (var side in new[] { "off", "on" })
            report.AppendLine(Culture, $"| relay {side} | {Median(acks[side], m => m.PerSecond):0} | {Median(acks[side], m => m.P50):0.0} | {Median(acks[side], m => m.P99):0.0} | {Median(acks[side], m => m.RequestsPerOperation):0.00} |");
        report.AppendLine(Culture, $"Answers other than 200 during the whole run: {unavailable}.");
        var ratios = acks["on"].Zip(acks["off"], (a, b) => a.PerSecond / b.PerSecond).Order().ToList();
        report.AppendLine(Culture, $"Ratio on/off per round: {string.Join(", ", ratios.Select(r => r.ToString("0.00", Culture)))}; median {ratios[ratios.Count / 2]:0.00}.");

        Console.WriteLine(report.ToString());

        // 2. Before-event: through the receiver (authenticate, judge, forward, answer) versus the handler alone.
        var beforeResults = new Dictionary<string, List<Measurement>> { ["handler alone"] = [], ["through the relay"] = [] };
        foreach (var inFlight in new[] { 1, concurrency })
        {
            await Measurement.RunAsync(200, inFlight, PostDirect, () => 0);
            await Measurement.RunAsync(200, inFlight, Receive(on, "Group.CallbackBeforeSendMsg", before), () => 0);
            var alone = new List<Measurement>();
            var through = new List<Measurement>();
            for (var round = 0; round < rounds; round++)
            {
                alone.Add(await Measurement.RunAsync(requests, inFlight, PostDirect, () => 0));
                through.Add(await Measurement.RunAsync(requests, inFlight, Receive(on, "Group.CallbackBeforeSendMsg", before), () => 0));
            }
            report.AppendLine().AppendLine(Culture, $"Before-event, {inFlight} in flight: | side | p50 ms | p99 ms |").AppendLine("|---|---|---|");
            report.AppendLine(Culture, $"| handler alone | {Median(alone, m => m.P50):0.00} | {Median(alone, m => m.P99):0.00} |");
            report.AppendLine(Culture, $"| through the relay | {Median(through, m => m.P50):0.00} | {Median(through, m => m.P99):0.00} |");
            report.AppendLine(Culture, $"Added: p50 {Median(through, m => m.P50) - Median(alone, m => m.P50):0.00} ms, p99 {Median(through, m => m.P99) - Median(alone, m => m.P99):0.00} ms.");
        }

        Console.WriteLine(report.ToString());

        // 3. Deliveries from relay-deliveries (receive, post, delete) versus posting the same requests directly.
        var deliverer = new RelayDeliverer(relay, chat, client, relayQueue, new QueueClient(connection, StorageNames.RelayPoisonQueue, queueOptions()), payloads, clock,
            NullLogger<RelayDeliverer>.Instance);
        var relayOnly = new CallbackRelay(relay, forwarder, new StorageEventSink(relayQueue, payloads, clock));
        var deliveryRatios = new List<(double Relayed, double Direct)>();
        for (var round = 0; round < rounds; round++)
        {
            await relayQueue.ClearMessagesAsync();
            var query = Webhooks.SignedQuery();
            for (var i = 0; i < requests; i += concurrency)
                await Task.WhenAll(Enumerable.Range(i, Math.Min(concurrency, requests - i)).Select(_ => relayOnly.EnqueueAsync(query, AfterSendMsg.Command, body, clock.GetUtcNow(), CancellationToken.None)));
            // As the host's queue trigger does: a batch received at once, its messages run side by side, each deleted once done.
            var drainClock = System.Diagnostics.Stopwatch.StartNew();
            var delivered = 0;
            while (delivered < requests)
            {
                Azure.Storage.Queues.Models.QueueMessage[] batch = await relayQueue.ReceiveMessagesAsync(Math.Min(32, concurrency), TimeSpan.FromMinutes(1)).ConfigureAwait(false);
                await Task.WhenAll(batch.Select(async message =>
                {
                    if (await deliverer.DeliverAsync(message.Body, CancellationToken.None).ConfigureAwait(false) != DeliveryOutcome.Delivered)
                        throw new InvalidOperationException("A delivery failed.");
                    await relayQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt).ConfigureAwait(false);
                })).ConfigureAwait(false);
                delivered += batch.Length;
            }
            var drained = new Measurement(requests, drainClock.Elapsed, [0], 0);
            var posted = await Measurement.RunAsync(requests, concurrency, async _ =>
            {
                var answer = await client.PostAsync(RelayQuery.Target(new Uri(handler.Url), RelayQuery.Of(query)), body, TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
                if (!answer.Succeeded)
                    throw new InvalidOperationException(answer.Failure);
            }, () => 0);
            deliveryRatios.Add((drained.PerSecond, posted.PerSecond));
        }
        var deliveryMedian = deliveryRatios.OrderBy(r => r.Relayed / r.Direct).ElementAt(deliveryRatios.Count / 2);
        report.AppendLine().AppendLine(Culture, $"Deliveries: {deliveryMedian.Relayed:0}/s from relay-deliveries versus {deliveryMedian.Direct:0}/s posted directly (ratio {deliveryMedian.Relayed / deliveryMedian.Direct:0.00}; per round: {string.Join(", ", deliveryRatios.Select(r => (r.Relayed / r.Direct).ToString("0.00", Culture)))}).");
        return report.ToString();
    }

    private static double Median(List<Measurement> measurements, Func<Measurement, double> value)
    {
        var sorted = measurements.Select(value).Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
