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
    public const string SdkAppIdName = "SdkAppid";
    public const string CallbackCommandName = "CallbackCommand";
    public const string SignName = "Sign";
    public const string RequestTimeName = "RequestTime";

    /// <summary>The parameters Tencent sends once, whose value a repeat would make ambiguous.</summary>
    private static readonly string[] SentOnce = [SdkAppIdName, CallbackCommandName, RequestTimeName, SignName];

    /// <summary>The query string as it arrived (with or without its '?'), for relaying it unchanged; null where unknown.</summary>
    public string? Raw { get; init; }

    /// <summary>The first parameter Tencent sends once that appears more than once (names compare without case), or null.</summary>
    public string? RepeatedParameter { get; init; }

    public static CallbackQuery From(NameValueCollection query) => new(
        query[SdkAppIdName],
        query[CallbackCommandName],
        query["ClientIP"],
        query["OptPlatform"],
        query[SignName],
        query[RequestTimeName])
    {
        RepeatedParameter = FirstRepeated(query),
    };

    private static string? FirstRepeated(NameValueCollection query)
    {
        foreach (var name in SentOnce)
        {
            // A repeated name reads as its values joined by commas; only then is it worth counting them.
            if (query[name]?.Contains(',', StringComparison.Ordinal) == true && query.GetValues(name) is { Length: > 1 })
                return name;
        }
        return null;
    }
}
