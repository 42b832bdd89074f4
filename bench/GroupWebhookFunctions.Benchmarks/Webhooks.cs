using System.Text;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using Azure.Data.Tables;

namespace GroupWebhookFunctions.Benchmarks;

/// <summary>The payloads measured: Tencent's sample body grown to a size with one text element.</summary>
public static class Webhooks
{
    public const string SdkAppId = "1400000001";
    public const string Token = "benchmark-token";
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_764_000_000);

    public static byte[] Body(int bytes)
    {
        const string head = """{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#2J4SZEAEL","Type":"Public","From_Account":"jared","Operator_Account":"admin","Random":123456,"MsgSeq":123,"MsgTime":1490686222,"OnlineOnlyFlag":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":" """;
        const string tail = """ "}}],"CloudCustomData":"your cloud custom data","EventTime":"1670574414123"}""";
        var text = new string('x', Math.Max(1, bytes - head.Length - tail.Length));
        return Encoding.UTF8.GetBytes(head + text + tail);
    }

    public static CallbackQuery SignedQuery()
    {
        var time = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new CallbackQuery(SdkAppId, GroupWebhookFunctions.TencentChat.Callbacks.AfterSendMsg.Command, "203.0.113.7", "Android", CallbackSignature.Compute(Token, time), time);
    }

    public static TencentChatOptions Options() => new() { SdkAppId = SdkAppId, CallbackToken = Token };
}

public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Takes the envelope as a queue client would, by copying its bytes, and keeps nothing else.</summary>
public sealed class InMemorySink : IEventSink
{
    private readonly byte[] _last = new byte[1024 * 1024];

    public int LastLength { get; private set; }

    public Task EnqueueAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken)
    {
        envelope.Span.CopyTo(_last);
        LastLength = envelope.Length;
        return Task.CompletedTask;
    }
}

/// <summary>Accepts every row as new, so the synchronizer's own work is what is measured.</summary>
public sealed class InMemoryStore : IGroupMessageStore
{
    public TableEntity? LastMessage { get; private set; }

    public Task<bool> AddMessageAsync(TableEntity message, CancellationToken cancellationToken)
    {
        LastMessage = message;
        return Task.FromResult(true);
    }

    public Task<SummaryChange> AdvanceSummaryAsync(GroupSummary candidate, CancellationToken cancellationToken) => Task.FromResult(SummaryChange.Advanced);

    public Task<TableEntity?> ChangeRowAsync(GroupTable table, string partitionKey, string rowKey, RowChange change, IReadOnlyCollection<string> inflate, CancellationToken cancellationToken)
    {
        LastMessage = change(null);
        return Task.FromResult(LastMessage);
    }

    public Task UpsertRowsAsync(GroupTable table, IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> AddRowAsync(GroupTable table, TableEntity row, CancellationToken cancellationToken) => AddMessageAsync(row, cancellationToken);
}
