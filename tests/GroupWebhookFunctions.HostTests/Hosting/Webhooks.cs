namespace GroupWebhookFunctions.HostTests.Hosting;

/// <summary>Bodies of Tencent's callbacks for the host tests, each test in groups of its own.</summary>
public static class Webhooks
{
    /// <summary>A "message sent" callback, as Tencent's page shows it, for one seq of a group.</summary>
    public static string Send(string groupId, long seq, string text = "hello") =>
        $$$"""
        {"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"{{{groupId}}}","Type":"Public","From_Account":"jared","Operator_Account":"",
         "Random":{{{1000 + seq}}},"MsgSeq":{{{seq}}},"MsgTime":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"OnlineOnlyFlag":0,
         "MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"{{{text}}}"}}],"CloudCustomData":"","EventTime":{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}}
        """;

    /// <summary>A group ID no other test uses, in Tencent's shape.</summary>
    public static string NewGroupId(string purpose) => $"@TGS#{purpose}-{Guid.NewGuid().ToString("N")[..10]}";
}
