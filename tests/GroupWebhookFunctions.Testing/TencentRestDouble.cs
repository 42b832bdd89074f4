using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GroupWebhookFunctions.Testing;

/// <summary>A message as the double's history holds it.</summary>
public sealed record DoubleMessage(long Seq, string FromAccount, long Random, long Time, string MsgBody, bool Recalled = false);

/// <summary>One call the double answered.</summary>
public sealed record DoubleCall(long Timestamp, string Command, string? GroupId, string? TopicId, long? ReqMsgSeq, int ReqMsgNumber, long Random, long ErrorCode,
    string? Body = null);

/// <summary>A group as the double's directory has it: its type, when it was made (Unix seconds), and whether it has topics.</summary>
public sealed record DoubleGroup(string Type = "Public", long CreateTime = 0, bool TopicsEnabled = false);

/// <summary>
/// Tencent's REST API as far as history goes, on a free loopback port: it checks every call's URL and UserSig the way
/// Tencent describes (sdkappid, identifier, a UserSig that inflates to a document whose HMAC verifies with the app's
/// key and has not expired, a 32-bit random, contenttype=json), and pages <c>group_msg_get_simple</c> like Tencent
/// (at most 20, ReqMsgSeq inclusive, newest first, holes as IsPlaceMsg 1, recalled as IsPlaceMsg 2 only with
/// WithRecalledMsg=1). Tests script failures, delays, gone groups and expiry, and read the calls it answered.
/// </summary>
public sealed class TencentRestDouble : IAsyncDisposable
{
    public const string HistoryPath = "/v4/group_open_http_svc/group_msg_get_simple";
    public const string GroupListPath = "/v4/group_open_http_svc/get_appid_group_list";
    public const string GroupInfoPath = "/v4/group_open_http_svc/get_group_info";
    public const string TopicPath = "/v4/million_group_open_http_svc/get_topic";

    /// <summary>The first page's <c>Next</c> is above 2^32, as in Tencent's sample: a client reading it as 32 bits fails.</summary>
    public const ulong CursorBase = 4_454_685_361;

    private readonly LoopbackHttpServer _server;
    private readonly ConcurrentDictionary<(string GroupId, string? TopicId), SortedDictionary<long, DoubleMessage>> _groups = new();
    private readonly ConcurrentQueue<(long ErrorCode, int HttpStatus)> _scriptedFailures = new();
    private readonly List<DoubleCall> _calls = [];

    private readonly TimeProvider _clock;

    /// <summary><paramref name="clock"/> is Tencent's clock, against which a UserSig expires.</summary>
    public TencentRestDouble(long sdkAppId, string identifier, string secretKey, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        (SdkAppId, Identifier, SecretKey) = (sdkAppId, identifier, secretKey);
        _server = new LoopbackHttpServer(AnswerAsync);
    }

    public long SdkAppId { get; }
    public string Identifier { get; }
    public string SecretKey { get; }
    public string BaseUrl => _server.BaseUrl;

    /// <summary>
    /// Groups of the app beyond those with history (<see cref="Add"/>); a group with history and no entry here is Public,
    /// made at time 0. <c>get_appid_group_list</c> lists both, in ordinal order, except gone ones.
    /// </summary>
    public ConcurrentDictionary<string, DoubleGroup> Directory { get; } = new();

    /// <summary>When each topic was made (Unix seconds); a topic with history and no entry here was made at time 0.</summary>
    public ConcurrentDictionary<(string GroupId, string TopicId), long> TopicsMade { get; } = new();

    public IReadOnlyList<DoubleCall> CallsTo(string path) => [.. Calls.Where(c => c.Command == path)];

    /// <summary>Groups Tencent says do not exist (10010).</summary>
    public ConcurrentDictionary<string, bool> GoneGroups { get; } = new();

    /// <summary>Groups whose presence in a <c>get_group_info</c> list makes Tencent refuse the whole call (call-level 10015), not just their entry.</summary>
    public ConcurrentDictionary<string, bool> RefusedAsWhole { get; } = new();

    /// <summary>A UserSig made before this Unix time counts as expired (70001), as if Tencent's clock had moved past it.</summary>
    public long ExpireSigsMadeBefore { get; set; }

    /// <summary>Seqs below this are past retention: not returned at all.</summary>
    public long RetentionFloor { get; set; } = 1;

    /// <summary>Every call answers HTTP 502, as when the service is down.</summary>
    public bool Down { get; set; }

    public TimeSpan Delay { get; set; }

    public IReadOnlyList<DoubleCall> Calls
    {
        get { lock (_calls) return [.. _calls]; }
    }

    public IReadOnlyList<DoubleCall> HistoryCalls => [.. Calls.Where(c => c.Command == HistoryPath && c.ErrorCode == 0)];

    /// <summary>The next <paramref name="count"/> calls answer ErrorCode <paramref name="errorCode"/> (with HTTP 200), or HTTP <paramref name="httpStatus"/>.</summary>
    public void FailNext(int count, long errorCode = 0, int httpStatus = 200)
    {
        for (var i = 0; i < count; i++)
            _scriptedFailures.Enqueue((errorCode, httpStatus));
    }

    public void Add(string groupId, string? topicId, DoubleMessage message)
    {
        var history = _groups.GetOrAdd((groupId, topicId), _ => []);
        lock (history)
            history[message.Seq] = message;
    }

    /// <summary>Tencent forgets every group, topic and message (the calls answered stay): a fresh app for the next scenario.</summary>
    public void Clear()
    {
        _groups.Clear();
        Directory.Clear();
        TopicsMade.Clear();
        GoneGroups.Clear();
    }

    public void Recall(string groupId, string? topicId, long seq)
    {
        var history = _groups[(groupId, topicId)];
        lock (history)
            history[seq] = history[seq] with { Recalled = true };
    }

    /// <summary>Tencent deletes or loses a message: its seq becomes a hole.</summary>
    public void Remove(string groupId, string? topicId, long seq)
    {
        var history = _groups[(groupId, topicId)];
        lock (history)
            history.Remove(seq);
    }

    /// <summary>Messages 1..<paramref name="count"/> of a conversation, one a second from <paramref name="firstTime"/>.</summary>
    public void AddMany(string groupId, string? topicId, long count, long firstTime, long fromSeq = 1)
    {
        for (var seq = fromSeq; seq < fromSeq + count; seq++)
            Add(groupId, topicId, Message(seq, firstTime + seq - fromSeq));
    }

    public static DoubleMessage Message(long seq, long time) =>
        new(seq, "user" + (seq % 7), 1000 + seq, time, $$$"""[{"MsgType":"TIMTextElem","MsgContent":{"Text":"message {{{seq}}}"}}]""");

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var timestamp = Stopwatch.GetTimestamp();
        try
        {
            if (Delay > TimeSpan.Zero)
                await Task.Delay(Delay);
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var (status, answer, code, call) = Answer(context.Request, body, timestamp);
            lock (_calls)
                _calls.Add(call with { ErrorCode = code });
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(answer);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
        {
        }
    }

    private (int Status, string Body, long ErrorCode, DoubleCall Call) Answer(HttpListenerRequest request, string body, long timestamp)
    {
        var query = request.QueryString;
        var call = new DoubleCall(timestamp, request.Url!.AbsolutePath, null, null, null, 0, -1, 0);
        if (Down)
            return (502, "<html>Bad Gateway</html>", 502, call with { ErrorCode = 502 });
        if (_scriptedFailures.TryDequeue(out var failure))
        {
            return failure.HttpStatus != 200
                ? (failure.HttpStatus, "", failure.HttpStatus, call)
                : (200, Error(failure.ErrorCode, "scripted failure"), failure.ErrorCode, call);
        }
        if (request.HttpMethod != "POST")
            return (200, Error(60002, "POST only"), 60002, call);
        if (query["contenttype"] != "json")
            return (200, Error(60002, "contenttype must be json"), 60002, call);
        if (!long.TryParse(query["random"], out var random) || random is < 0 or > uint.MaxValue)
            return (200, Error(60002, "random must be a 32-bit unsigned number"), 60002, call);
        call = call with { Random = random };
        if (query["sdkappid"] != SdkAppId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            return (200, Error(70014, "sdkappid differs"), 70014, call);
        if (query["identifier"] != Identifier)
            return (200, Error(70013, "identifier differs"), 70013, call);
        var sigCode = VerifyUserSig(query["usersig"]);
        if (sigCode != 0)
            return (200, Error(sigCode, "usersig refused"), sigCode, call);
        if (string.IsNullOrWhiteSpace(body))
            return (200, Error(60003, "body may not be empty"), 60003, call);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        return request.Url.AbsolutePath switch
        {
            HistoryPath => AnswerHistory(root, call),
            GroupListPath => DoubleDirectory.List(this, root, call with { Body = body }),
            GroupInfoPath => DoubleDirectory.Info(this, root, call with { Body = body }),
            TopicPath => DoubleDirectory.Topics(this, root, call with { Body = body }),
            _ => (200, Error(10003, "invalid command"), 10003, call),
        };
    }

    /// <summary>The conversations with history, as the directory calls read them.</summary>
    internal IEnumerable<(string GroupId, string? TopicId)> Conversations => _groups.Keys;

    /// <summary>The newest seq and its time of a conversation's history, (0, 0) when it has none.</summary>
    internal (long Seq, long Time) Newest(string groupId, string? topicId)
    {
        if (!_groups.TryGetValue((groupId, topicId), out var history))
            return (0, 0);
        lock (history)
            return history.Count == 0 ? (0, 0) : (history.Keys.Max(), history[history.Keys.Max()].Time);
    }

    private (int Status, string Body, long ErrorCode, DoubleCall Call) AnswerHistory(JsonElement root, DoubleCall call)
    {
        var groupId = root.TryGetProperty("GroupId", out var g) ? g.GetString() : null;
        var topicId = root.TryGetProperty("TopicId", out var t) ? t.GetString() : null;
        var number = root.TryGetProperty("ReqMsgNumber", out var n) ? n.GetInt32() : 0;
        long? upTo = root.TryGetProperty("ReqMsgSeq", out var s) ? s.GetInt64() : null;
        var withRecalled = root.TryGetProperty("WithRecalledMsg", out var w) && w.GetInt32() == 1;
        call = call with { GroupId = groupId, TopicId = topicId, ReqMsgSeq = upTo, ReqMsgNumber = number };
        if (groupId is null || number < 1)
            return (200, Error(10004, "invalid parameter"), 10004, call);
        if (GoneGroups.ContainsKey(groupId) || !_groups.TryGetValue((groupId, topicId), out var history))
            return (200, Error(10010, "group does not exist"), 10010, call);
        return (200, Page(groupId, history, upTo, Math.Min(number, 20), withRecalled), 0, call);
    }

    private string Page(string groupId, SortedDictionary<long, DoubleMessage> history, long? upTo, int number, bool withRecalled)
    {
        var entries = new List<object>();
        long seq;
        lock (history)
        {
            var latest = history.Count == 0 ? 0 : history.Keys.Max();
            seq = Math.Min(upTo ?? latest, latest);
            for (; seq >= Math.Max(1, RetentionFloor) && entries.Count < number; seq--)
            {
                if (!history.TryGetValue(seq, out var message))
                    entries.Add(new { From_Account = "", IsPlaceMsg = 1, MsgBody = Array.Empty<object>(), MsgPriority = 1, MsgRandom = 0, MsgSeq = seq, MsgTimeStamp = 0 });
                else if (message.Recalled && !withRecalled)
                    continue;
                else
                    entries.Add(new
                    {
                        From_Account = message.FromAccount,
                        IsPlaceMsg = message.Recalled ? 2 : 0,
                        MsgBody = JsonDocument.Parse(message.MsgBody).RootElement,
                        MsgPriority = 1,
                        MsgRandom = message.Random,
                        MsgSeq = message.Seq,
                        MsgTimeStamp = message.Time,
                    });
            }
        }
        var finished = seq < Math.Max(1, RetentionFloor) ? 1 : 0;
        return JsonSerializer.Serialize(new { ActionStatus = "OK", ErrorInfo = "", ErrorCode = 0, GroupId = groupId, IsFinished = finished, RspMsgList = entries });
    }

    /// <summary>Decodes the UserSig as Tencent's verify does: reverse the base64 variant, inflate (zlib), parse, recompute the HMAC.</summary>
    private long VerifyUserSig(string? userSig)
    {
        if (string.IsNullOrEmpty(userSig))
            return 70003;
        JsonDocument document;
        try
        {
            var compressed = Convert.FromBase64String(userSig.Replace('*', '+').Replace('-', '/').Replace('_', '='));
            using var inflated = new MemoryStream();
            using (var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress))
                zlib.CopyTo(inflated);
            document = JsonDocument.Parse(inflated.ToArray());
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or JsonException)
        {
            return 70003;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.GetProperty("TLS.identifier").GetString() != Identifier)
                return 70013;
            if (root.GetProperty("TLS.sdkappid").GetInt64() != SdkAppId)
                return 70014;
            var (time, expire) = (root.GetProperty("TLS.time").GetInt64(), root.GetProperty("TLS.expire").GetInt64());
            var content = $"TLS.identifier:{Identifier}\nTLS.sdkappid:{SdkAppId}\nTLS.time:{time}\nTLS.expire:{expire}\n";
            var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SecretKey), Encoding.UTF8.GetBytes(content)));
            if (root.GetProperty("TLS.sig").GetString() != expected)
                return 70009;
            if (_clock.GetUtcNow().ToUnixTimeSeconds() > time + expire || time < ExpireSigsMadeBefore)
                return 70001;
            return 0;
        }
    }

    internal static string Error(long code, string info) => JsonSerializer.Serialize(new { ActionStatus = "FAIL", ErrorInfo = info, ErrorCode = code });
}
