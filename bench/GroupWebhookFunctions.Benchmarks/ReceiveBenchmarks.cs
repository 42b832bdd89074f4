using System.Buffers;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
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

    [Benchmark]
    public async Task<int> Receive()
    {
        using var stream = new MemoryStream(_body, writable: false);
        var reply = await _receiver.ReceiveAsync(_query, stream, null, CancellationToken.None);
        return reply.ErrorCode + _sink.LastLength;
    }
}
