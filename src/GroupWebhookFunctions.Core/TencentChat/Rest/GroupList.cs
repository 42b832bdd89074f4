using System.Text.Json;

namespace GroupWebhookFunctions.TencentChat.Rest;

/// <summary>A page of the app's group IDs and the cursor of the next page (0: the listing is complete).</summary>
public sealed record GroupListPage(IReadOnlyList<string> GroupIds, ulong Next, long TotalCount);

/// <summary>
/// The pacer of <c>get_appid_group_list</c> alone: Tencent allows that API 1 call a second for the whole app, far
/// below the budget the rest share. A call waits here first, then at the shared pacer. In the app it is the call
/// budget's scope <see cref="BudgetScope"/>, so the limit holds across instances too.
/// </summary>
public sealed class GroupListPacer(ICallPacer calls)
{
    public const int MaxCallsPerSecond = 1;

    /// <summary>The scope of this API in the app's call budget (TencentCallBudget).</summary>
    public const string BudgetScope = "get_appid_group_list";

    public ICallPacer Calls => calls;
}

/// <summary>
/// <c>v4/group_open_http_svc/get_appid_group_list</c>: the IDs of every group of the app, in pages of up to 10,000.
/// <c>Next</c> is an opaque unsigned 64-bit cursor (Tencent's sample is above 2^32), never an offset.
/// </summary>
public sealed class GroupList(TencentRestClient client, GroupListPacer pacer)
{
    public const string Command = "group_open_http_svc/get_appid_group_list";

    public const int MaxPerCall = 10_000;

    public async Task<GroupListPage> PageAsync(ulong next, int limit, string? groupType, CancellationToken cancellationToken)
    {
        using var answer = await client.CallAsync(Command, writer =>
        {
            writer.WriteNumber("Limit", Math.Clamp(limit, 1, MaxPerCall));
            writer.WriteNumber("Next", next);
            if (groupType is not null)
                writer.WriteString("GroupType", groupType);
        }, cancellationToken, pacer.Calls).ConfigureAwait(false);
        return Read(answer.RootElement);
    }

    public static GroupListPage Read(JsonElement root)
    {
        var ids = new List<string>();
        if (root.TryGetProperty("GroupIdList", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                // Objects {"GroupId": ...} as documented; a bare string is read too.
                var id = item.ValueKind switch
                {
                    JsonValueKind.Object when item.TryGetProperty(GroupMessageFields.GroupId, out var g) && g.ValueKind == JsonValueKind.String => g.GetString(),
                    JsonValueKind.String => item.GetString(),
                    _ => null,
                };
                if (!string.IsNullOrEmpty(id))
                    ids.Add(id);
            }
        }
        var next = root.TryGetProperty("Next", out var n) ? Cursor(n) : 0;
        var total = root.TryGetProperty("TotalCount", out var t) ? FlexibleInteger.Read(t) ?? 0 : 0;
        return new GroupListPage(ids, next, total);
    }

    private static ulong Cursor(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetUInt64(out var number) => number,
        JsonValueKind.String when ulong.TryParse(value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var text) => text,
        _ => 0,
    };
}
