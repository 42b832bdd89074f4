using System.Text.Json;

namespace GroupWebhookFunctions.TencentChat.Rest;

/// <summary>
/// One entry of <c>get_group_info</c>: its own ErrorCode (0 found; 10010/10015 gone) and the fields asked for.
/// <see cref="Newest"/> is the newest seq used: <c>NextMsgSeq - 1</c>.
/// </summary>
public sealed record GroupProfile(string GroupId, long ErrorCode, string? Type, long? NextMsgSeq, long? LastMsgTime, long? CreateTime)
{
    public long? Newest => NextMsgSeq is { } next ? Math.Max(0, next - 1) : null;

    public bool Gone => RestErrorCodes.Classify(ErrorCode) == RestFailure.GroupGone;
}

/// <summary>
/// <c>v4/group_open_http_svc/get_group_info</c>: profiles of up to 50 groups a call, with a response filter so only
/// the base fields named come back (never member lists). The call's own ErrorCode says nothing of each group: each
/// entry has its own.
/// </summary>
public sealed class GroupInfo(TencentRestClient client)
{
    public const string Command = "group_open_http_svc/get_group_info";

    public const int MaxPerCall = 50;

    /// <summary>What a tail check needs: the type (AVChatRoom has no history) and the next seq.</summary>
    public static readonly IReadOnlyList<string> TailFields = ["Type", "NextMsgSeq"];

    /// <summary>What discovery needs besides: when the group was made and last spoke, against when reconciliation started.</summary>
    public static readonly IReadOnlyList<string> DiscoveryFields = ["Type", "NextMsgSeq", "LastMsgTime", "CreateTime"];

    public async Task<IReadOnlyList<GroupProfile>> ReadAsync(IReadOnlyList<string> groupIds, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(groupIds.Count, MaxPerCall);
        using var answer = await client.CallAsync(Command, writer =>
        {
            writer.WriteStartArray("GroupIdList");
            foreach (var id in groupIds)
                writer.WriteStringValue(id);
            writer.WriteEndArray();
            writer.WriteStartObject("ResponseFilter");
            writer.WriteStartArray("GroupBaseInfoFilter");
            foreach (var field in fields)
                writer.WriteStringValue(field);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
        return Read(answer.RootElement);
    }

    public static IReadOnlyList<GroupProfile> Read(JsonElement root)
    {
        var profiles = new List<GroupProfile>();
        if (!root.TryGetProperty("GroupInfo", out var list) || list.ValueKind != JsonValueKind.Array)
            return profiles;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(GroupMessageFields.GroupId, out var id) || id.ValueKind != JsonValueKind.String)
                continue;
            profiles.Add(new GroupProfile(id.GetString()!, Number(item, GroupMessageFields.ErrorCode) ?? 0, Text(item, "Type"), Number(item, "NextMsgSeq"),
                Number(item, "LastMsgTime"), Number(item, "CreateTime")));
        }
        return profiles;
    }

    internal static long? Number(JsonElement parent, string name) => parent.TryGetProperty(name, out var value) ? FlexibleInteger.Read(value) : null;

    internal static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
