using System.Text;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Tests.Infrastructure;

/// <summary>Callbacks as Tencent sends them.</summary>
public static class CallbackRequests
{
    public const string SdkAppId = "1400000001";
    public const string Token = "test-callback-token-5f1c";

    /// <summary>The sample body of Tencent's "After a Group Message Is Sent" page, with its comments removed.</summary>
    public const string SeedPageSample = """
        {
        "CallbackCommand": "Group.CallbackAfterSendMsg",
        "GroupId": "@TGS#2J4SZEAEL",
        "Type": "Public",
        "From_Account": "jared",
        "Operator_Account":"admin",
        "Random": 123456,
        "MsgSeq": 123,
        "MsgTime": 1490686222,
        "OnlineOnlyFlag": 1,
        "MsgBody": [
        {
        "MsgType": "TIMTextElem",
        "MsgContent":{
        "Text": "red packet"
        }
        }
        ],
        "CloudCustomData": "your cloud custom data",
        "EventTime":"1670574414123"
        }
        """;

    public static string Message(string groupId = "@TGS#2J4SZEAEL", long msgSeq = 123, string type = "Public", string text = "hello",
        string from = "jared", long msgTime = 1490686222, string? topicId = null, string? msgId = null) =>
        $$$"""
        {"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"{{{groupId}}}","Type":"{{{type}}}","From_Account":"{{{from}}}",
         "Operator_Account":"","Random":{{{msgSeq * 7919 % 4294967295}}},"MsgSeq":{{{msgSeq}}},"MsgTime":{{{msgTime}}},"OnlineOnlyFlag":0,
         {{{(topicId is null ? "" : $"\"TopicId\":\"{topicId}\",")}}}{{{(msgId is null ? "" : $"\"MsgId\":\"{msgId}\",")}}}
         "MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"{{{text}}}"}}],"CloudCustomData":"","EventTime":{{{msgTime * 1000 + 17}}}}
        """;

    public static Uri Url(string? sdkAppId = SdkAppId, string? command = AfterSendMsg.Command, DateTimeOffset? signedAt = null,
        string? token = Token, string? sign = null, string? requestTime = null)
    {
        var query = new List<string>();
        if (sdkAppId is not null)
            query.Add($"SdkAppid={sdkAppId}");
        if (command is not null)
            query.Add($"CallbackCommand={command}");
        query.Add("contenttype=json&ClientIP=203.0.113.7&OptPlatform=Android");
        if (signedAt is { } at && token is not null)
        {
            var time = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            query.Add($"RequestTime={requestTime ?? time}&Sign={sign ?? CallbackSignature.Compute(token, time)}");
        }
        else if (sign is not null || requestTime is not null)
        {
            query.Add($"RequestTime={requestTime}&Sign={sign}");
        }
        return new Uri("https://receiver.example/api/tencent-chat/callback?" + string.Join('&', query));
    }

    /// <summary>The query of an unsigned callback URL, as the receiver reads it.</summary>
    public static CallbackQuery Query(string? command = AfterSendMsg.Command) =>
        CallbackQuery.From(System.Web.HttpUtility.ParseQueryString(Url(command: command).Query));

    public static TestHttpRequest Request(Uri url, string body) => new(url, new MemoryStream(Encoding.UTF8.GetBytes(body)));

    public static TestHttpRequest Request(Uri url, byte[] body) => new(url, new MemoryStream(body));
}
