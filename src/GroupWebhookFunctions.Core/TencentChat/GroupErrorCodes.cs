using System.Collections.Frozen;

namespace GroupWebhookFunctions.TencentChat;

/// <summary>What Tencent's group ErrorCodes mean, for failed sends (from Tencent's error-message list).</summary>
public static class GroupErrorCodes
{
    private static readonly FrozenDictionary<long, string> Meanings = new Dictionary<long, string>
    {
        [10002] = "Internal error; retry.",
        [10004] = "Invalid parameter.",
        [10006] = "Operation frequency limit reached.",
        [10007] = "No permission.",
        [10010] = "The group does not exist or has been disbanded.",
        [10015] = "Group ID not found.",
        [10016] = "Rejected by the app's before-send webhook.",
        [10017] = "The sender is muted.",
        [10018] = "The response is larger than 1 MB.",
        [10019] = "The account does not exist.",
        [10023] = "Message frequency over the limit; retry later.",
        [10030] = "The recalled message does not exist.",
        [10031] = "The recall time limit is exceeded.",
        [10032] = "The message cannot be recalled.",
        [10033] = "This group type does not support recall.",
        [10041] = "The app is configured to forbid recalling group messages.",
    }.ToFrozenDictionary();

    public static string Describe(long errorCode) =>
        Meanings.GetValueOrDefault(errorCode) ?? $"Error {errorCode}: not in this app's table; see Tencent Cloud Chat's error codes.";
}
