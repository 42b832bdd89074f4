using System.Buffers;
using System.Security.Cryptography;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.TencentChat;
using Microsoft.Extensions.Logging.Abstractions;

namespace GroupWebhookFunctions.Benchmarks;

/// <summary>From the request's query and body to the envelope handed to the queue client, signature checking on.</summary>
[MemoryDiagnoser]
public class ReceiveBenchmarks
{
    private readonly InMemorySink _sink = new();
    private byte[] _body = [];
    private CallbackQuery _query = null!;
    private CallbackReceiver _receiver = null!;
    private CallbackReceiver _measuredReceiver = null!;
    private MeterListener? _listener;
    private MeterFactory? _meters;
    private byte[] _floorSink = [];
    private byte[] _signedText = [];

    [Params(1024, 12 * 1024)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = Webhooks.Body(BodyBytes);
        _query = Webhooks.SignedQuery();
        _receiver = new CallbackReceiver(Webhooks.Options(), _sink, new FixedClock(Webhooks.Now), NullLogger<CallbackReceiver>.Instance);
        // Metrics on, and listened to as an OpenTelemetry SDK listens: every measurement is taken.
        _meters = new MeterFactory();
        var metrics = new GroupWebhookMetrics(_meters);
        _measuredReceiver = new CallbackReceiver(Webhooks.Options(), _sink, new FixedClock(Webhooks.Now), NullLogger<CallbackReceiver>.Instance, metrics);
        _listener = new MeterListener { InstrumentPublished = (instrument, listener) => { if (instrument.Meter == metrics.Meter) listener.EnableMeasurementEvents(instrument); } };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _measured, value));
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measured));
        _listener.Start();
        _floorSink = new byte[_body.Length];
        _signedText = System.Text.Encoding.UTF8.GetBytes(Webhooks.Token + _query.RequestTime);
    }

    /// <summary>The least any verifying receiver must do: read the body, one SHA-256 (the signature), copy the bytes on.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> Floor()
    {
        using var stream = new MemoryStream(_body, writable: false);
        var buffer = ArrayPool<byte>.Shared.Rent(_body.Length);
        var read = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer.AsMemory(read))) > 0)
            read += n;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(_signedText, hash);
        buffer.AsSpan(0, read).CopyTo(_floorSink);
        ArrayPool<byte>.Shared.Return(buffer);
        return hash[0] + read;
    }

    private long _measured;

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener?.Dispose();
        _meters?.Dispose();
    }

    /// <summary>As <see cref="Receive"/>, with the metrics recorded and listened to.</summary>
    [Benchmark]
    public async Task<int> ReceiveMeasured()
    {
        using var stream = new MemoryStream(_body, writable: false);
        var reply = await _measuredReceiver.ReceiveAsync(_query, stream, null, CancellationToken.None);
        return reply.ErrorCode + _sink.LastLength;
    }

    [Benchmark]
    public async Task<int> Receive()
    {
        using var stream = new MemoryStream(_body, writable: false);
        var reply = await _receiver.ReceiveAsync(_query, stream, null, CancellationToken.None);
        return reply.ErrorCode + _sink.LastLength;
    }
}

/// <summary>What the host's meter factory does, without the host.</summary>
public sealed class MeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(meter => meter.Dispose());
}
