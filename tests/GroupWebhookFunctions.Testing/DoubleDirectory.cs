using System.Text.Json;
using System.Text.Json.Nodes;

namespace GroupWebhookFunctions.Testing;

/// <summary>
/// The double's group directory APIs as Tencent shapes them (reference: tencent-chat-group-directory-rest.md):
/// <c>get_appid_group_list</c> paged by an opaque 64-bit <c>Next</c> (0 when done) with <c>GroupIdList</c> of objects
/// and a <c>GroupType</c> filter; <c>get_group_info</c> for at most 50 IDs, each entry with its own ErrorCode (10010
/// for a gone or unknown group), only the base fields a <c>ResponseFilter</c> names; <c>get_topic</c> for a
/// topic-enabled Community (refused 10004 otherwise), every topic or those named, a flat <c>ResponseFilter</c>.
/// </summary>
internal static class DoubleDirectory
{
    public static (int, string, long, DoubleCall) List(TencentRestDouble tencent, JsonElement root, DoubleCall call)
    {
        var limit = root.TryGetProperty("Limit", out var l) ? l.GetInt32() : 10_000;
        var next = root.TryGetProperty("Next", out var n) ? n.GetUInt64() : 0;
        var type = root.TryGetProperty("GroupType", out var t) ? t.GetString() : null;
        if (limit is < 1 or > 10_000 || (next != 0 && next < TencentRestDouble.CursorBase))
            return (200, TencentRestDouble.Error(10004, "invalid Limit or Next"), 10004, call);
        var groups = Groups(tencent).Where(g => type is null || g.Value.Type == type).Select(g => g.Key).ToList();
        var offset = next == 0 ? 0 : (int)(next - TencentRestDouble.CursorBase);
        var page = groups.Skip(offset).Take(limit).ToList();
        var following = offset + page.Count < groups.Count ? TencentRestDouble.CursorBase + (ulong)(offset + page.Count) : 0;
        var answer = new JsonObject
        {
            ["ActionStatus"] = "OK", ["ErrorInfo"] = "", ["ErrorCode"] = 0, ["TotalCount"] = groups.Count,
            ["GroupIdList"] = new JsonArray([.. page.Select(id => (JsonNode)new JsonObject { ["GroupId"] = id })]),
            ["Next"] = following,
        };
        return (200, answer.ToJsonString(), 0, call with { ReqMsgNumber = page.Count });
    }

    public static (int, string, long, DoubleCall) Info(TencentRestDouble tencent, JsonElement root, DoubleCall call)
    {
        var ids = root.TryGetProperty("GroupIdList", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().Select(i => i.GetString()!).ToList() : [];
        if (ids.Count is 0 or > 50)
            return (200, TencentRestDouble.Error(10004, "GroupIdList must hold 1 to 50 IDs"), 10004, call);
        if (ids.Any(tencent.RefusedAsWhole.ContainsKey))
            return (200, TencentRestDouble.Error(10015, "invalid group id"), 10015, call);
        var filter = root.TryGetProperty("ResponseFilter", out var f) && f.TryGetProperty("GroupBaseInfoFilter", out var fields)
            ? fields.EnumerateArray().Select(x => x.GetString()!).ToHashSet() : null;
        var groups = Groups(tencent);
        var entries = new JsonArray();
        foreach (var id in ids)
        {
            if (!groups.TryGetValue(id, out var group))
            {
                entries.Add(new JsonObject { ["GroupId"] = id, ["ErrorCode"] = 10010, ["ErrorInfo"] = "group not exist or dismissed" });
                continue;
            }
            var (seq, time) = tencent.Newest(id, null);
            var entry = new JsonObject { ["GroupId"] = id, ["ErrorCode"] = 0, ["ErrorInfo"] = "" };
            var all = new Dictionary<string, JsonNode>
            {
                ["Type"] = group.Type, ["Name"] = "group " + id, ["CreateTime"] = group.CreateTime, ["LastMsgTime"] = time, ["NextMsgSeq"] = seq + 1,
                ["MemberNum"] = 3, ["Owner_Account"] = "owner",
            };
            foreach (var (name, value) in all.Where(p => filter is null || filter.Contains(p.Key)))
                entry[name] = value;
            entries.Add(entry);
        }
        var answer = new JsonObject { ["ActionStatus"] = "OK", ["ErrorInfo"] = "", ["ErrorCode"] = 0, ["GroupInfo"] = entries };
        return (200, answer.ToJsonString(), 0, call with { ReqMsgNumber = ids.Count });
    }

    public static (int, string, long, DoubleCall) Topics(TencentRestDouble tencent, JsonElement root, DoubleCall call)
    {
        var groupId = root.TryGetProperty("GroupId", out var g) ? g.GetString() : null;
        call = call with { GroupId = groupId };
        if (groupId is null || !root.TryGetProperty("From_Account", out _))
            return (200, TencentRestDouble.Error(10004, "GroupId and From_Account are required"), 10004, call);
        if (!Groups(tencent).TryGetValue(groupId, out var group))
            return (200, TencentRestDouble.Error(10010, "group not exist or dismissed"), 10010, call);
        if (!group.TopicsEnabled)
            return (200, TencentRestDouble.Error(10004, "not a topic-enabled community"), 10004, call);
        var known = tencent.Conversations.Where(c => c.GroupId == groupId && c.TopicId is not null).Select(c => c.TopicId!)
            .Concat(tencent.TopicsMade.Keys.Where(k => k.GroupId == groupId).Select(k => k.TopicId)).Distinct().Order(StringComparer.Ordinal).ToList();
        var asked = root.TryGetProperty("TopicIdList", out var list) ? list.EnumerateArray().Select(i => i.GetString()!).ToList() : known;
        var filter = root.TryGetProperty("ResponseFilter", out var f) ? f.EnumerateArray().Select(x => x.GetString()!).ToHashSet() : null;
        var entries = new JsonArray();
        foreach (var topicId in asked)
        {
            if (!known.Contains(topicId))
            {
                entries.Add(new JsonObject { ["ErrorCode"] = 10010, ["ErrorInfo"] = "topic not exist", ["TopicInfo"] = new JsonObject { ["TopicId"] = topicId } });
                continue;
            }
            var (seq, time) = tencent.Newest(groupId, topicId);
            var info = new JsonObject { ["TopicId"] = topicId };
            var all = new Dictionary<string, JsonNode>
            {
                ["TopicName"] = "topic " + topicId, ["CreateTime"] = tencent.TopicsMade.GetValueOrDefault((groupId, topicId)), ["LastMsgTime"] = time, ["NextMsgSeq"] = seq + 1,
            };
            foreach (var (name, value) in all.Where(p => filter is null || filter.Contains(p.Key)))
                info[name] = value;
            entries.Add(new JsonObject
            {
                ["ErrorCode"] = 0, ["ErrorInfo"] = "", ["TopicInfo"] = info,
                ["SelfInfo"] = new JsonObject { ["MsgSeq"] = 0, ["MsgFlag"] = "AcceptAndNotify", ["ShutUpTime"] = 0 },
            });
        }
        var answer = new JsonObject { ["ActionStatus"] = "OK", ["ErrorInfo"] = "", ["ErrorCode"] = 0, ["TopicAndSelfInfo"] = entries };
        return (200, answer.ToJsonString(), 0, call with { ReqMsgNumber = asked.Count });
    }

    /// <summary>Every group of the app not gone: the directory's and those with history, by ID in ordinal order.</summary>
    private static SortedDictionary<string, DoubleGroup> Groups(TencentRestDouble tencent)
    {
        var groups = new SortedDictionary<string, DoubleGroup>(StringComparer.Ordinal);
        foreach (var (groupId, _) in tencent.Conversations)
            groups[groupId] = new DoubleGroup();
        foreach (var (groupId, group) in tencent.Directory)
            groups[groupId] = group;
        foreach (var gone in tencent.GoneGroups.Keys)
            groups.Remove(gone);
        return groups;
    }
}
