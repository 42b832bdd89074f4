using System.Text;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.EndToEnd;

/// <summary>
/// The property behind "OK means stored": every mutation of a valid body is either refused by the receiver with a
/// 4xx FAIL JSON, or acknowledged and then stored by the synchronizer against Azurite. Never acknowledged and then
/// poisoned, never a 5xx. The generator is seeded, so a failure names the case that reproduces it.
/// </summary>
public class AcknowledgedMeansStoredPropertyTests(Azurite azurite) : StorageTest(azurite)
{
    private const int Cases = 3000;
    private const int Batch = 100;
    private const int Seed = 20261129;

    [Fact]
    public async Task Every_mutated_body_is_refused_at_the_door_or_acknowledged_and_stored()
    {
        var random = new Random(Seed);
        var acknowledged = 0;
        var refusedCodes = new Dictionary<int, int>();
        for (var first = 0; first < Cases; first += Batch)
        {
            var cases = Enumerable.Range(first, Batch).Select(i => MutatedBodies.Make(random, i)).ToArray();
            var bodies = cases.Select(c => c.Body).ToArray();
            var replies = await Task.WhenAll(cases.Select(c => App.PostAsync(CallbackRequests.Request(App.SignedUrl(c.Command), c.Body))));
            for (var i = 0; i < bodies.Length; i++)
            {
                var reply = replies[i];
                // 503 says storage was slow to confirm (a hundred at once on a loaded machine): send it again, as the
                // answer asks; a repeat is stored once, which the row count below checks too.
                for (var retry = 0; retry < 5 && reply.StatusCode == 503; retry++)
                    reply = await App.PostAsync(CallbackRequests.Request(App.SignedUrl(cases[i].Command), cases[i].Body));
                var shown = Encoding.UTF8.GetString(bodies[i]);
                Assert.True(reply.StatusCode is 200 or (>= 400 and < 500), $"case {first + i}: {reply.StatusCode} {reply.ErrorInfo}\n{shown}");
                if (reply.StatusCode == 200)
                {
                    acknowledged++;
                    continue;
                }
                Assert.True(reply.ActionStatus == "FAIL" && reply.ErrorCode != 0 && reply.ErrorInfo.Length > 0, $"case {first + i}: {reply.Body}\n{shown}");
                refusedCodes[reply.ErrorCode] = refusedCodes.GetValueOrDefault(reply.ErrorCode) + 1;
            }

            var queued = await QueuedEventsAsync();
            var outcomes = await Task.WhenAll(queued.Select(message => App.Get<GroupMessageSynchronizer>().SynchronizeAsync(message.Body, CancellationToken.None)));
            for (var i = 0; i < outcomes.Length; i++)
                Assert.True(outcomes[i] != SyncOutcome.Rejected, $"acknowledged and then poisoned:\n{queued[i].Body}\n{App.Logs.AllText[^Math.Min(2000, App.Logs.AllText.Length)..]}");
        }

        Assert.Empty(await TakeAllAsync(StorageNames.PoisonQueue));
        // The generator must reach both sides of the judgement, and many kinds of refusal, or the property says little.
        Assert.InRange(acknowledged, Cases / 5, Cases * 4 / 5);
        Assert.True(refusedCodes.Count >= 8, string.Join(", ", refusedCodes.Select(kv => $"{kv.Key}: {kv.Value}")));
        var stored = await RowsAsync(StorageNames.MessageTable);
        Assert.InRange(stored.Count, acknowledged / 2, acknowledged);
    }
}

/// <summary>Valid Group.CallbackAfterSendMsg bodies with one to three random mutations each.</summary>
internal static class MutatedBodies
{
    private static readonly string[] Kinds = ["12", "\"12\"", "\"x\"", "{}", "[]", "null", "true", "1.5", "1e3", "\"+1\"", "\"1\\u0000\"", "-3", "\"99999999999999999999\"", "{\"a\":[1]}"];
    private static readonly string[] Escapes = ["\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u0000", "\\u001f", "\\\"", "\\\\", "\\u2028", "\\/"];
    private static readonly string[] IdCharacters = ["a", "Z", "0", "#", "@", "_", "-", ".", "/", "\\\\", "?", "~", "%", " ", "群", "😀", "\\u0001", "\\ud83d\\ude00", "\\t", "é"];
    private static readonly string[] Elements =
    [
        """{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}""",
        """{"MsgType":"TIMFaceElem","MsgContent":{"Index":"1","Data":"x"}}""",
        """{"MsgType":"TIMCustomElem","MsgContent":{"Data":"d","Desc":"","Ext":"","Sound":""}}""",
        """{"MsgType":"TIMLocationElem","MsgContent":{"Desc":"here","Latitude":"north","Longitude":1e999}}""",
        """{"MsgType":"TIMImageElem","MsgContent":{"UUID":"u","ImageFormat":"jpg","ImageInfoArray":[{"Type":"big"}]}}""",
        """{"MsgType":"TIMFutureElem","MsgContent":[1,{"x":null}]}""",
        """{"MsgType":7,"MsgContent":"text"}""",
        """{"Other":true}""",
    ];

    /// <summary>A body of one of the handled commands, mutated; most are messages sent, as in Tencent's traffic.</summary>
    public static (string Command, byte[] Body) Make(Random random, int index)
    {
        var (command, fields) = random.Next(10) < 6 ? (AfterSendMsg.Command, Valid(random, index)) : Later(random, index);
        var mutations = random.Next(1, 4);
        var bytesMutated = false;
        for (var m = 0; m < mutations; m++)
        {
            switch (random.Next(10))
            {
                case 0: SwapKind(random, fields); break;
                case 1: Escape(random, fields); break;
                case 2: fields.Add(($"\"Deep{m}\"", Nested(random, random.Next(26, 38)))); break;
                case 3: MutateElements(random, fields); break;
                case 4: ExoticId(random, fields); break;
                case 5: fields.Add((Quote(RandomId(random, random.Next(1, 12))), RandomValue(random, 3))); break;
                case 6: Duplicate(random, fields); break;
                case 7: fields.RemoveAt(random.Next(fields.Count)); break;
                case 8: fields.Add(("\"CloudCustomData\"", Quote(new string('c', random.Next(30_000, 40_000))))); fields.RemoveAt(IndexOf(fields, "\"CloudCustomData\"")); break;
                default: bytesMutated = true; break;
            }
        }
        var bytes = Encoding.UTF8.GetBytes("{" + string.Join(",", fields.Select(f => f.Name + ":" + f.Value)) + "}");
        return (command, bytesMutated ? MutateBytes(random, bytes) : bytes);
    }

    /// <summary>A valid body of a later-life command, as a list of fields to mutate.</summary>
    private static (string Command, List<(string Name, string Value)> Fields) Later(Random random, int index)
    {
        var seq = random.Next(1, 1000).ToString();
        var group = ("\"GroupId\"", $"\"@TGS#prop{index}\"");
        return random.Next(6) switch
        {
            0 => (AfterRecallMsg.Command, [("\"CallbackCommand\"", "\"Group.CallbackAfterRecallMsg\""), group, ("\"Type\"", "\"Public\""), ("\"Operator_Account\"", "\"admin\""),
                ("\"MsgSeqList\"", $"[{{\"MsgSeq\":{seq}}},{seq}1]"), ("\"EventTime\"", "1670574414123")]),
            1 => (AfterGroupMsgExtension.Command, [("\"CallbackCommand\"", "\"Group.CallbackAfterGroupMsgExtension\""), group, ("\"MsgSeq\"", seq), ("\"OperateType\"", random.Next(1, 4).ToString()),
                ("\"ExtensionList\"", "[{\"Key\":\"k\",\"Value\":\"v\",\"Seq\":5}]"), ("\"Seq\"", "5"), ("\"EventTime\"", "1764688294360")]),
            2 => (AfterReadReceipt.Command, [("\"CallbackCommand\"", "\"Group.CallbackAfterReadReceipt\""), group, ("\"Type\"", "\"Public\""),
                ("\"GroupMsgReceiptList\"", $"[{{\"MsgSeq\":{seq},\"ReadNum\":1,\"UnreadNum\":6,\"ReadReceiptMembers\":[{{\"Member_Account\":\"user0\"}}]}}]"), ("\"EventTime\"", "\"1670574414123\"")]),
            3 => (AfterGroupDestroyed.Command, [("\"CallbackCommand\"", "\"Group.CallbackAfterGroupDestroyed\""), group, ("\"Type\"", "\"Public\""), ("\"Owner_Account\"", "\"leckie\""),
                ("\"Name\"", "\"g\""), ("\"MemberList\"", "[{\"Member_Account\":\"leckie\"}]"), ("\"EventTime\"", "1670574414123")]),
            4 => (AfterTopicDestroyed.Command, [("\"CallbackCommand\"", "\"Group.CallbackAfterTopicDestroyed\""), group, ("\"Type\"", "\"Community\""),
                ("\"TopicIdList\"", $"[\"@TGS#prop{index}@TOPIC#_a\",\"@TGS#prop{index}@TOPIC#_b\"]")]),
            _ => (SendMsgException.Command, [("\"CallbackCommand\"", "\"Group.CallbackSendMsgException\""), group, ("\"Type\"", "\"Public\""), ("\"From_Account\"", "\"jared\""),
                ("\"Random\"", "123456"), ("\"MsgBody\"", "[" + Elements[random.Next(Elements.Length)] + "]"), ("\"ErrorCode\"", "10023"), ("\"ErrorInfo\"", "\"limit\""), ("\"EventTime\"", "1670574414123")]),
        };
    }

    private static List<(string Name, string Value)> Valid(Random random, int index)
    {
        var seq = random.Next(1, 1_000_000);
        return
        [
            ("\"CallbackCommand\"", "\"Group.CallbackAfterSendMsg\""),
            ("\"GroupId\"", $"\"@TGS#prop{index}\""),
            ("\"Type\"", random.Next(6) == 0 ? "\"AVChatRoom\"" : "\"Public\""),
            ("\"From_Account\"", "\"user" + random.Next(100) + "\""),
            ("\"Operator_Account\"", "\"\""),
            ("\"Random\"", random.Next(2) == 0 ? random.Next().ToString() : $"\"{random.Next()}\""),
            ("\"MsgSeq\"", random.Next(2) == 0 ? seq.ToString() : $"\"{seq}\""),
            ("\"MsgTime\"", "1490686222"),
            ("\"OnlineOnlyFlag\"", "0"),
            ("\"MsgBody\"", "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => Elements[random.Next(Elements.Length)])) + "]"),
            ("\"CloudCustomData\"", "\"data\""),
            ("\"EventTime\"", "\"1670574414123\""),
            ("\"MsgId\"", $"\"144115233406643804-1727580296-{index}\""),
        ];
    }

    private static void SwapKind(Random random, List<(string Name, string Value)> fields)
    {
        var i = random.Next(fields.Count);
        fields[i] = (fields[i].Name, Kinds[random.Next(Kinds.Length)]);
    }

    private static void Escape(Random random, List<(string Name, string Value)> fields)
    {
        var i = random.Next(fields.Count);
        var escape = Escapes[random.Next(Escapes.Length)];
        var (name, value) = fields[i];
        if (random.Next(3) == 0)
            fields[i] = (name.Insert(name.Length - 1, escape), value);
        else if (value.StartsWith('"'))
            fields[i] = (name, value.Insert(1, escape));
        else
            fields[i] = (name, Quote(escape));
    }

    private static void MutateElements(Random random, List<(string Name, string Value)> fields)
    {
        // Any list: MsgBody, or a later-life command's MsgSeqList, ExtensionList, GroupMsgReceiptList, MemberList, TopicIdList.
        var lists = fields.Select((f, index) => (f, index)).Where(x => x.f.Value.StartsWith('[') && x.f.Value.EndsWith(']')).Select(x => x.index).ToList();
        if (lists.Count == 0)
            return;
        var i = lists[random.Next(lists.Count)];
        string[] odd = ["null", "1", "\"text\"", "[]", Elements[random.Next(Elements.Length)], "{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":" + Nested(random, 28) + "}}"];
        var inner = fields[i].Value[1..^1];
        var extra = odd[random.Next(odd.Length)];
        fields[i] = (fields[i].Name, random.Next(5) == 0 ? extra : "[" + (inner.Length == 0 ? extra : inner + "," + extra) + "]");
    }

    private static void ExoticId(Random random, List<(string Name, string Value)> fields)
    {
        string[] names = ["\"GroupId\"", "\"TopicId\"", "\"MsgId\"", "\"From_Account\"", "\"Member_Account\""];
        var name = names[random.Next(names.Length)];
        var length = random.Next(4) == 0 ? random.Next(160, 200) : random.Next(0, 600);
        var value = Quote(RandomId(random, length));
        var i = IndexOf(fields, name);
        if (i >= 0)
            fields[i] = (name, value);
        else
            fields.Add((name, value));
        if (random.Next(3) == 0)
            fields[IndexOf(fields, "\"Type\"") is >= 0 and var t ? t : 0] = ("\"Type\"", "\"AVChatRoom\"");
    }

    private static void Duplicate(Random random, List<(string Name, string Value)> fields)
    {
        var original = fields[random.Next(fields.Count)];
        fields.Add(random.Next(2) == 0 ? original : (original.Name, Kinds[random.Next(Kinds.Length)]));
    }

    private static byte[] MutateBytes(Random random, byte[] bytes)
    {
        var at = random.Next(bytes.Length);
        switch (random.Next(4))
        {
            case 0:
                bytes[at] = (byte)random.Next(256);
                return bytes;
            case 1:
                return [.. bytes[..at], 0xFF, .. bytes[at..]];
            case 2:
                return [.. bytes[..at], 0xED, 0xA0, 0x80, .. bytes[at..]];
            default:
                return bytes[..at];
        }
    }

    private static string RandomId(Random random, int length) =>
        string.Concat(Enumerable.Range(0, length).Select(_ => IdCharacters[random.Next(IdCharacters.Length)]));

    private static string RandomValue(Random random, int depth) => (depth == 0 ? random.Next(4) : random.Next(6)) switch
    {
        0 => random.Next().ToString(),
        1 => Quote(RandomId(random, random.Next(0, 20))),
        2 => "null",
        3 => "false",
        4 => "[" + string.Join(",", Enumerable.Range(0, random.Next(3)).Select(_ => RandomValue(random, depth - 1))) + "]",
        _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(3)).Select(_ => Quote(RandomId(random, 3)) + ":" + RandomValue(random, depth - 1))) + "}",
    };

    private static string Nested(Random random, int levels)
    {
        var builder = new StringBuilder();
        var closers = new Stack<char>();
        for (var level = 1; level < levels; level++)
        {
            if (random.Next(2) == 0)
            {
                builder.Append('[');
                closers.Push(']');
            }
            else
            {
                builder.Append("{\"k\":");
                closers.Push('}');
            }
        }
        builder.Append('1');
        while (closers.Count > 0)
            builder.Append(closers.Pop());
        return builder.ToString();
    }

    private static string Quote(string escapedText) => "\"" + escapedText + "\"";

    private static int IndexOf(List<(string Name, string Value)> fields, string name) => fields.FindIndex(f => f.Name == name);
}
