using System.Collections.Specialized;

namespace GroupWebhookFunctions.TencentChat;

/// <summary>What Tencent appends to the callback URL; these values are not repeated in the body.</summary>
public sealed record CallbackQuery(
    string? SdkAppId,
    string? CallbackCommand,
    string? ClientIp,
    string? OptPlatform,
    string? Sign,
    string? RequestTime)
{
    public static CallbackQuery From(NameValueCollection query) => new(
        query["SdkAppid"],
        query["CallbackCommand"],
        query["ClientIP"],
        query["OptPlatform"],
        query["Sign"],
        query["RequestTime"]);
}
