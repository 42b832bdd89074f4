namespace GroupWebhookFunctions.TencentChat;

public enum RecalledContent
{
    /// <summary>The row is marked recalled; MsgBody, Text and CloudCustomData stay.</summary>
    Keep,

    /// <summary>MsgBody, Text, CloudCustomData and their blobs are removed, also when the send arrives after the recall.</summary>
    Erase,
}

/// <summary>Settings of the app whose callbacks this function app receives (configuration section "TencentChat").</summary>
public sealed class TencentChatOptions
{
    public const string SectionName = "TencentChat";

    /// <summary>The SDKAppID from Tencent's console; callbacks naming any other app are refused.</summary>
    public string SdkAppId { get; set; } = "";

    /// <summary>When set, every callback must carry a valid Sign and RequestTime made from this token.</summary>
    public string? CallbackToken { get; set; }

    /// <summary>Also accepted while a rotation is under way, so callbacks signed with the old token are not refused.</summary>
    public string? PreviousCallbackToken { get; set; }

    public int MaxClockSkewSeconds { get; set; } = 60;

    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long the acknowledgement may wait for storage before answering 503; Tencent gives up at 2 s.</summary>
    public int EnqueueTimeoutMilliseconds { get; set; } = 1500;

    /// <summary>What becomes of a recalled message's content: kept beside the recall mark, or erased.</summary>
    public RecalledContent RecalledContent { get; set; } = RecalledContent.Keep;

    /// <summary>An App admin account: the identity the app signs its REST calls with (history reconciliation).</summary>
    public string? AdminIdentifier { get; set; }

    /// <summary>The app's key from Tencent's console, used to sign the admin's UserSig. Never logged.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The REST domain of the app's data centre; the default is Singapore's (README lists every region).</summary>
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    public const string DefaultApiBaseUrl = "https://adminapisgp.im.qcloud.com";

    public bool RequiresSignature => !string.IsNullOrEmpty(CallbackToken);

    /// <summary>Reconciliation with Tencent's history is on once the app can sign REST calls.</summary>
    public bool ReconcilesHistory => !string.IsNullOrWhiteSpace(AdminIdentifier) && !string.IsNullOrEmpty(SecretKey);

    /// <summary>Whether REST calls, whose URL carries the admin's UserSig, would travel unencrypted beyond this machine.</summary>
    public bool ApiBaseUrlIsPlainText => Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var api) && api.Scheme == Uri.UriSchemeHttp && !api.IsLoopback;

    /// <summary>The SDKAppID as the number a UserSig carries.</summary>
    public long SdkAppIdNumber => long.TryParse(SdkAppId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0;

    /// <summary>The problems that keep these settings from working, empty when they are sound.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(SdkAppId))
            problems.Add("TencentChat:SdkAppId is required: set it to the SDKAppID of your Tencent Cloud Chat app.");
        // App Service leaves a Key Vault reference it cannot resolve as the literal text, which would become the token.
        foreach (var (name, token) in new[] { (nameof(CallbackToken), CallbackToken), (nameof(PreviousCallbackToken), PreviousCallbackToken), (nameof(SecretKey), SecretKey) })
        {
            if (token?.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true)
                problems.Add($"TencentChat:{name} is an unresolved Key Vault reference: check that the secret exists and the app's identity holds Key Vault Secrets User.");
        }
        if (!string.IsNullOrEmpty(PreviousCallbackToken) && !RequiresSignature)
            problems.Add("TencentChat:PreviousCallbackToken is set without TencentChat:CallbackToken: set the new token as CallbackToken.");
        if (ReconcilesHistory && SdkAppIdNumber <= 0)
            problems.Add("TencentChat:SdkAppId must be the numeric SDKAppID to sign REST calls for reconciliation.");
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
            problems.Add("TencentChat:ApiBaseUrl must be a URL such as " + DefaultApiBaseUrl + " (the README lists every region's).");
        if (MaxClockSkewSeconds < 1)
            problems.Add("TencentChat:MaxClockSkewSeconds must be at least 1.");
        if (MaxBodyBytes < 1024)
            problems.Add("TencentChat:MaxBodyBytes must be at least 1024.");
        if (EnqueueTimeoutMilliseconds is < 100 or > 1900)
            problems.Add("TencentChat:EnqueueTimeoutMilliseconds must be between 100 and 1900, inside Tencent's 2-second wait.");
        return problems;
    }
}
