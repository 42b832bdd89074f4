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

    public static CallbackQuery SignedQuery(string command = GroupWebhookFunctions.TencentChat.Callbacks.AfterSendMsg.Command)
    {
        var time = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new CallbackQuery(SdkAppId, command, "203.0.113.7", "Android", CallbackSignature.Compute(Token, time), time);
    }

    /// <summary>Each later-life command's body, as Tencent's pages show it.</summary>
    public static readonly IReadOnlyDictionary<string, string> LaterLife = new Dictionary<string, string>
    {
        ["Group.CallbackAfterRecallMsg"] = """{"CallbackCommand":"Group.CallbackAfterRecallMsg","Operator_Account":"admin","Type":"Community","GroupId":"1213456","MsgSeqList":[{"MsgSeq":130,"MsgId":"144115213033478435-1739361321-2512805311"}],"TopicId":"@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic","EventTime":1670574414123}""",
        ["Group.CallbackAfterGroupMsgExtension"] = """{"CallbackCommand":"Group.CallbackAfterGroupMsgExtension","GroupId":"test","MsgSeq":10,"OperateType":1,"ExtensionList":[{"Key":"key2","Value":"value2","Seq":56},{"Key":"key3","Value":"12122","Seq":56}],"Seq":56,"EventTime":1764688294360}""",
        ["Group.CallbackAfterReadReceipt"] = """{"CallbackCommand":"Group.CallbackAfterReadReceipt","GroupId":"@TGS#2TTV7VSII","Type":"Public","GroupMsgReceiptList":[{"MsgSeq":1,"ReadNum":1,"UnreadNum":6,"ReadReceiptMembers":[{"Member_Account":"user0"}]}],"EventTime":"1670574414123"}""",
        ["Group.CallbackAfterGroupDestroyed"] = """{"CallbackCommand":"Group.CallbackAfterGroupDestroyed","Operator_Account":"administrator","GroupId":"@TGS#2J4SZEAEL","Type":"Public","Owner_Account":"leckie","Name":"MyFirstGroup","MemberList":[{"Member_Account":"leckie"},{"Member_Account":"peter"},{"Member_Account":"bob"}],"EventTime":1670574414123}""",
        ["Group.CallbackAfterTopicDestroyed"] = """{"CallbackCommand":"Group.CallbackAfterTopicDestroyed","GroupId":"@TGS#_@TGS#cQVLVHIM62CJ","Type":"Community","TopicIdList":["@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic","@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic_1"]}""",
        ["Group.CallbackSendMsgException"] = """{"CallbackCommand":"Group.CallbackSendMsgException","GroupId":"@TGS#2J4SZEAEL","Type":"Public","From_Account":"jared","Operator_Account":"admin","Random":123456,"OnlineOnlyFlag":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"red packet"}}],"CloudCustomData":"your cloud custom data","ErrorCode":10023,"ErrorInfo":"msg count exceeds limit,please retry later","EventTime":1670574414123}""",
    };

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

    public Task<bool> TryAddRowsAsync(GroupTable table, IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken) => Task.FromResult(true);

    public IAsyncEnumerable<TableEntity> ReadRangeAsync(GroupTable table, string partitionKey, string afterRowKey, string throughRowKey, IReadOnlyList<string> columns,
        CancellationToken cancellationToken, int? pageSize = null) =>
        AsyncEnumerable.Empty<TableEntity>();

    public IAsyncEnumerable<TableEntity> ReadAllAsync(GroupTable table, IReadOnlyList<string>? columns, CancellationToken cancellationToken) => AsyncEnumerable.Empty<TableEntity>();

    public Task<TableEntity?> ReadRowAsync(GroupTable table, string partitionKey, string rowKey, CancellationToken cancellationToken) => Task.FromResult<TableEntity?>(null);

    public Task DeleteRowAsync(GroupTable table, string partitionKey, string rowKey, CancellationToken cancellationToken) => Task.CompletedTask;
}
