using System.Text;
using GroupWebhookFunctions.Judging;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.EndToEnd;

/// <summary>
/// Each body an adversarial run found acknowledged and then poisoned, or answered with an empty 500: refused at the
/// door with its own ErrorCode, or acknowledged and stored. Every body is Tencent's sample with one change.
/// </summary>
public class AcknowledgedMeansStoredTests(Azurite azurite) : StorageTest(azurite)
{
    private const string Marker = "§";

    private static byte[] Sample(string from, string to) => Encoding.UTF8.GetBytes(Replace(CallbackRequests.SeedPageSample, from, to));

    private static string Replace(string text, string from, string to)
    {
        Assert.Contains(from, text, StringComparison.Ordinal);
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    /// <summary>The sample with <see cref="Marker"/> in a changed place replaced by raw bytes no encoder would write.</summary>
    private static byte[] SampleWithBytes(string from, string to, params byte[] bytes)
    {
        var text = Sample(from, to);
        var marker = Encoding.UTF8.GetBytes(Marker);
        var at = text.AsSpan().IndexOf(marker);
        return [.. text[..at], .. bytes, .. text[(at + marker.Length)..]];
    }

    private static string Nested(int levels) => new string('[', levels - 1) + new string(']', levels - 1);

    private const string Custom = "\"CloudCustomData\": \"your cloud custom data\"";
    private const string GroupId = "\"GroupId\": \"@TGS#2J4SZEAEL\"";
    private const string TextElement = """{"MsgType": "TIMTextElem","MsgContent":{"Text": "red packet"}}""";
    private const string SampleElements = "\"MsgBody\": [\n{\n\"MsgType\": \"TIMTextElem\",\n\"MsgContent\":{\n\"Text\": \"red packet\"\n}\n}\n]";

    public static TheoryData<string, byte[], int> Refusals => new()
    {
        { "byte 0xFF inside CloudCustomData", SampleWithBytes(Custom, "\"CloudCustomData\": \"your §data\"", 0xFF), 40010 },
        { "byte 0xFF in an unknown field's name", SampleWithBytes(Custom, Custom + ",\"Mo§d\": 1", 0xFF), 40010 },
        { "escaped \\ud800 in CloudCustomData", Sample(Custom, "\"CloudCustomData\": \"a\\ud800b\""), 40010 },
        { "escaped \\udc00 in Operator_Account", Sample("\"Operator_Account\":\"admin\"", "\"Operator_Account\":\"\\udc00\""), 40010 },
        { "escaped \\ud800 in an unknown field's name", Sample(Custom, Custom + ",\"M\\ud800\": 1"), 40010 },
        { "escaped \\udc00 in an unknown field's value", Sample(Custom, Custom + ",\"Mood\": [\"\\udc00\"]"), 40010 },
        { "escaped \\ud800 in a MsgBody element's property name", Sample("\"MsgType\": \"TIMTextElem\",", "\"MsgType\": \"TIMTextElem\",\"\\ud800\":1,"), 40010 },
        { "byte 0xFF in GroupId", SampleWithBytes(GroupId, "\"GroupId\": \"@TGS#§\"", 0xFF), 40010 },
        { "a CESU-8 surrogate in From_Account", SampleWithBytes("\"From_Account\": \"jared\"", "\"From_Account\": \"ja§\"", 0xED, 0xA0, 0x80), 40010 },
        { "escaped \\ud800 in GroupId", Sample(GroupId, "\"GroupId\": \"@TGS#\\ud800\""), 40010 },
        { "escaped \\udc00 in Type", Sample("\"Type\": \"Public\"", "\"Type\": \"\\udc00\""), 40010 },
        { "depth 64 in an unknown field", Sample(Custom, Custom + ",\"Deep\": " + Nested(63)), 40011 },
        { "depth 64 in a TIMCustomElem's MsgContent", Sample(SampleElements, "\"MsgBody\": [{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":" + Nested(61) + "}}]"), 40011 },
        { "MsgBody [null]", Sample(SampleElements, "\"MsgBody\": [null]"), 40012 },
        { "MsgBody [text, null]", Sample(SampleElements, $"\"MsgBody\": [{TextElement}, null]"), 40012 },
        { "CloudCustomData a number", Sample(Custom, "\"CloudCustomData\": 12"), 40006 },
        { "Operator_Account an object", Sample("\"Operator_Account\":\"admin\"", "\"Operator_Account\":{\"id\":\"admin\"}"), 40006 },
        { "GroupId of 171 '#', 513 characters escaped", Sample(GroupId, $"\"GroupId\": \"{new string('#', 171)}\""), 40007 },
        { "GroupId of 57 CJK characters, 513 escaped", Sample(GroupId, $"\"GroupId\": \"{new string('群', 57)}\""), 40007 },
        { "GroupId with TopicId past 512 escaped", Sample(GroupId, $"\"GroupId\": \"{new string('#', 100)}\",\"TopicId\": \"{new string('#', 71)}\""), 40007 },
        { "an AVChatRoom MsgId past 512 escaped", Sample("\"Type\": \"Public\"", $"\"Type\": \"AVChatRoom\",\"MsgId\": \"{new string('#', 170)}\""), 40007 },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refused_at_the_door_with_its_own_ErrorCode_and_nothing_queued(string why, byte[] body, int errorCode)
    {
        var reply = await App.PostAsync(CallbackRequests.Request(App.SignedUrl(), body));

        Assert.True(reply.StatusCode == 400 && reply.ErrorCode == errorCode, $"{why}: {reply.StatusCode} {reply.ErrorCode} {reply.ErrorInfo}");
        Assert.Equal("FAIL", reply.ActionStatus);
        Assert.Empty(await QueuedEventsAsync());
    }

    public static TheoryData<string, byte[], string, string> Storable => new()
    {
        { "GroupId escaped to exactly 512 characters", Sample(GroupId, $"\"GroupId\": \"{new string('#', 170)}ab\""), TableKeys.EscapeKey(new string('#', 170) + "ab"), "0000000000000000123" },
        { "GroupId with TopicId escaped to exactly 512", Sample(GroupId, $"\"GroupId\": \"{new string('#', 100)}\",\"TopicId\": \"{new string('#', 70)}x\""),
            TableKeys.EscapeKey(new string('#', 100)) + "!" + TableKeys.EscapeKey(new string('#', 70) + "x"), "0000000000000000123" },
        { "an AVChatRoom MsgId keyed in exactly 512", Sample("\"Type\": \"Public\"", $"\"Type\": \"AVChatRoom\",\"MsgId\": \"{new string('#', 169)}ab\""),
            "@TGS~232J4SZEAEL", "id-" + TableKeys.EscapeKey(new string('#', 169) + "ab") },
        { "nesting of exactly the limit in an unknown field", Sample(Custom, Custom + ",\"Deep\": " + Nested(CallbackJudge.MaxDepth - 1)), "@TGS~232J4SZEAEL", "0000000000000000123" },
        { "nesting of exactly the limit in a TIMCustomElem's MsgContent", Sample(SampleElements, "\"MsgBody\": [{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":" + Nested(CallbackJudge.MaxDepth - 3) + "}}]"),
            "@TGS~232J4SZEAEL", "0000000000000000123" },
        { "surrogate pairs escaped and raw, a NUL, and CJK field names", Sample(Custom, "\"CloudCustomData\": \"\\ud83d\\ude00 😀 \\u0000\",\"心情\": \"好\""), "@TGS~232J4SZEAEL", "0000000000000000123" },
        { "an element type no version knows", Sample(SampleElements, "\"MsgBody\": [{\"MsgType\":\"TIMFutureElem\",\"MsgContent\":{\"Text\":[1]}}]"), "@TGS~232J4SZEAEL", "0000000000000000123" },
    };

    [Theory]
    [MemberData(nameof(Storable))]
    public async Task Acknowledged_and_then_stored_never_poisoned(string why, byte[] body, string partitionKey, string rowKey)
    {
        var reply = await App.PostAsync(CallbackRequests.Request(App.SignedUrl(), body));
        Assert.True(reply.StatusCode == 200, $"{why}: {reply.StatusCode} {reply.ErrorCode} {reply.ErrorInfo}");

        Assert.Equal(1, await SynchronizeQueuedAsync());

        var row = Assert.Single(await RowsAsync(StorageNames.MessageTable));
        Assert.Equal((partitionKey, rowKey), (row.PartitionKey, row.RowKey));
        Assert.Empty(await TakeAllAsync(StorageNames.PoisonQueue));
    }

    [Fact]
    public async Task Unknown_fields_are_stored_exactly_as_sent()
    {
        await App.PostAsync(CallbackRequests.Request(App.SignedUrl(), Sample(Custom, Custom + ",\"心情\": \"好\",\"Nested\": {\"a\": [1, 2.50, null]}")));
        await SynchronizeQueuedAsync();

        var row = Assert.Single(await RowsAsync(StorageNames.MessageTable));
        var extra = System.Text.Json.JsonDocument.Parse(row.GetString("ExtraFields")).RootElement;
        Assert.Equal("好", extra.GetProperty("心情").GetString());
        Assert.Equal("{\"a\": [1, 2.50, null]}", extra.GetProperty("Nested").GetRawText());
    }

    [Fact]
    public async Task A_body_that_ends_before_its_Content_Length_is_refused_with_JSON_not_500()
    {
        var request = new TestHttpRequest(App.SignedUrl(), new FailingStream(Encoding.UTF8.GetBytes(CallbackRequests.SeedPageSample[..40]), new IOException("Unexpected end of request content.")));
        request.Headers.Add("Content-Length", "99999999999");

        var reply = await App.PostAsync(request);

        Assert.Equal((400, 40008, "FAIL"), (reply.StatusCode, reply.ErrorCode, reply.ActionStatus));
        Assert.Empty(await QueuedEventsAsync());
    }

    [Fact]
    public async Task Any_unexpected_fault_is_answered_503_with_JSON_saying_to_send_again()
    {
        var request = new TestHttpRequest(App.SignedUrl(), new FailingStream([], new InvalidOperationException("a fault no one foresaw")));

        var reply = await App.PostAsync(request);

        Assert.Equal((503, 50302, "FAIL"), (reply.StatusCode, reply.ErrorCode, reply.ActionStatus));
        Assert.Contains("may not have been kept", reply.ErrorInfo, StringComparison.Ordinal);
        Assert.Single(App.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains("a fault no one foresaw", StringComparison.Ordinal));
    }

    /// <summary>A request body that yields some bytes and then fails, as a connection that closes early does.</summary>
    private sealed class FailingStream(byte[] first, Exception failure) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= first.Length)
                throw failure;
            var n = Math.Min(count, first.Length - _position);
            Array.Copy(first, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
