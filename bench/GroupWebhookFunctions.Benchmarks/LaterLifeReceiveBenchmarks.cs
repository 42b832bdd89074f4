using BenchmarkDotNet.Attributes;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.TencentChat;
using Microsoft.Extensions.Logging.Abstractions;

namespace GroupWebhookFunctions.Benchmarks;

/// <summary>The acknowledgement of each later-life command's sample body, against the send's 1 KB body in the same run.</summary>
[MemoryDiagnoser]
public class LaterLifeReceiveBenchmarks
{
    private readonly InMemorySink _sink = new();
    private CallbackReceiver _receiver = null!;
    private CallbackQuery _query = null!;
    private byte[] _body = [];

    [Params("Group.CallbackAfterSendMsg", "Group.CallbackAfterRecallMsg", "Group.CallbackAfterGroupMsgExtension", "Group.CallbackAfterReadReceipt",
        "Group.CallbackAfterGroupDestroyed", "Group.CallbackAfterTopicDestroyed", "Group.CallbackSendMsgException")]
    public string Command { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _receiver = new CallbackReceiver(Webhooks.Options(), _sink, new FixedClock(Webhooks.Now), NullLogger<CallbackReceiver>.Instance);
        _query = Webhooks.SignedQuery(Command);
        _body = Webhooks.LaterLife.TryGetValue(Command, out var body) ? System.Text.Encoding.UTF8.GetBytes(body) : Webhooks.Body(1024);
        if (Receive().GetAwaiter().GetResult() == CallbackReply.Ok.ErrorCode)
            throw new InvalidOperationException($"The {Command} sample was not acknowledged: the benchmark would measure a refusal.");
    }

    [Benchmark]
    public async Task<int> Receive()
    {
        using var stream = new MemoryStream(_body, writable: false);
        var reply = await _receiver.ReceiveAsync(_query, stream, null, CancellationToken.None);
        return reply.IsOk ? _sink.LastLength : 0;
    }
}
