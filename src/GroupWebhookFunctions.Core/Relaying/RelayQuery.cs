using System.Globalization;
using System.Text;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Relaying;

/// <summary>Tencent's query string as the handler receives it: the same parameters in the same order.</summary>
public static class RelayQuery
{
    /// <summary>The query string Tencent sent, without its '?'; rebuilt from the parameters where the raw text is unknown.</summary>
    public static string Of(CallbackQuery query)
    {
        if (query.Raw is { } raw)
            return raw.StartsWith('?') ? raw[1..] : raw;
        var parts = new List<string>();
        Add(parts, CallbackQuery.SdkAppIdName, query.SdkAppId);
        Add(parts, CallbackQuery.CallbackCommandName, query.CallbackCommand);
        parts.Add("contenttype=json");
        Add(parts, "ClientIP", query.ClientIp);
        Add(parts, "OptPlatform", query.OptPlatform);
        Add(parts, CallbackQuery.RequestTimeName, query.RequestTime);
        Add(parts, CallbackQuery.SignName, query.Sign);
        return string.Join('&', parts);
    }

    /// <summary>The handler's URL with Tencent's query string after any query of its own.</summary>
    public static Uri Target(Uri handler, string query)
    {
        if (query.Length == 0)
            return handler;
        // Without the fragment, which is never sent: Tencent's query after it would never reach the handler.
        var text = handler.GetLeftPart(UriPartial.Query);
        return new Uri(text + (string.IsNullOrEmpty(handler.Query) ? "?" : "&") + query);
    }

    /// <summary>
    /// The same query with RequestTime and Sign made afresh from <paramref name="token"/> at <paramref name="now"/>, so a
    /// handler that checks freshness accepts a delivery that waited; a query without a Sign is left as it is.
    /// </summary>
    public static string Resign(string query, string? token, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token) || query.Length == 0)
            return query;
        var parts = query.Split('&');
        var signIndex = Array.FindIndex(parts, p => IsParameter(p, CallbackQuery.SignName));
        if (signIndex < 0)
            return query;
        var time = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var timeIndex = Array.FindIndex(parts, p => IsParameter(p, CallbackQuery.RequestTimeName));
        if (timeIndex < 0)
            return query;
        parts[timeIndex] = parts[timeIndex][..(parts[timeIndex].IndexOf('=', StringComparison.Ordinal) + 1)] + time;
        parts[signIndex] = parts[signIndex][..(parts[signIndex].IndexOf('=', StringComparison.Ordinal) + 1)] + CallbackSignature.Compute(token, time);
        return string.Join('&', parts);
    }

    /// <summary>
    /// The token that made the query's Sign: <paramref name="previousToken"/> while the token is rotated and Tencent
    /// still signs with the old one, so the handler, which knows Tencent's token, accepts the fresh Sign; else <paramref name="token"/>.
    /// </summary>
    public static string? SigningToken(string query, string? token, string? previousToken)
    {
        if (string.IsNullOrEmpty(previousToken))
            return token;
        var parts = query.Split('&');
        var sign = Array.Find(parts, p => IsParameter(p, CallbackQuery.SignName));
        var time = Array.Find(parts, p => IsParameter(p, CallbackQuery.RequestTimeName));
        if (sign is null || time is null)
            return token;
        var madeByPrevious = CallbackSignature.Compute(previousToken, time[(CallbackQuery.RequestTimeName.Length + 1)..]);
        return string.Equals(sign[(CallbackQuery.SignName.Length + 1)..], madeByPrevious, StringComparison.OrdinalIgnoreCase) ? previousToken : token;
    }

    private static bool IsParameter(string part, string name) =>
        part.Length > name.Length && part[name.Length] == '=' && part.StartsWith(name, StringComparison.OrdinalIgnoreCase);

    private static void Add(List<string> parts, string name, string? value)
    {
        if (value is not null)
            parts.Add(new StringBuilder(name).Append('=').Append(Uri.EscapeDataString(value)).ToString());
    }
}
