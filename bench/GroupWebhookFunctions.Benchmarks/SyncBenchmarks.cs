using System.Text.Json;
using Azure.Storage.Blobs;
using BenchmarkDotNet.Attributes;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GroupWebhookFunctions.Benchmarks;

/// <summary>From the queued envelope to the table entities written, with storage replaced by memory.</summary>
[MemoryDiagnoser]
public class SyncBenchmarks
{
    private readonly InMemoryStore _store = new();
    private BinaryData _envelope = null!;
    private GroupMessageSynchronizer _synchronizer = null!;

    [Params(1024, 12 * 1024)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var envelope = EnvelopeWriter.Write(Webhooks.SignedQuery(), "Group.CallbackAfterSendMsg", Webhooks.Body(BodyBytes), Webhooks.Now);
        _envelope = new BinaryData(envelope.WrittenSpan.ToArray());
        // Never called: the payload store is only used for envelopes and values too big for the queue and the table.
        var unusedPayloads = new BlobPayloadStore(new BlobContainerClient(new Uri("http://127.0.0.1:1/account/unused")));
        _synchronizer = new GroupMessageSynchronizer(GroupMessageSynchronizer.Handlers(_store, Webhooks.Options()), unusedPayloads, new InMemorySink(), new FixedClock(Webhooks.Now), NullLogger<GroupMessageSynchronizer>.Instance);
    }

    /// <summary>The least any synchronizer must do: parse the envelope once.</summary>
    [Benchmark(Baseline = true)]
    public int Floor()
    {
        using var document = JsonDocument.Parse(_envelope.ToMemory());
        return document.RootElement.GetProperty(EventEnvelope.BodyName).GetProperty("MsgSeq").GetInt32();
    }

    [Benchmark]
    public async Task<int> Synchronize()
    {
        var outcome = await _synchronizer.SynchronizeAsync(_envelope, CancellationToken.None);
        return (int)outcome + _store.LastMessage!.Count;
    }
}
