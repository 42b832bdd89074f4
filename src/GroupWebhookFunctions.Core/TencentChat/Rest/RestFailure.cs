namespace GroupWebhookFunctions.TencentChat.Rest;

/// <summary>What a failed REST call means for whoever made it.</summary>
public enum RestFailure
{
    /// <summary>Tencent or the network is briefly unable: try again (after a wait), here or next pass.</summary>
    Transient,

    /// <summary>70001: the UserSig expired; sign afresh and try once more.</summary>
    SignatureExpired,

    /// <summary>10010 or 10015: the group does not exist (any more); stop asking for it.</summary>
    GroupGone,

    /// <summary>10018: the answer would be over 1 MB; ask for fewer messages.</summary>
    AnswerTooLarge,

    /// <summary>The app's settings are wrong (key, admin, SDKAppID, region): nothing works until someone fixes one.</summary>
    Configuration,

    /// <summary>Refused for a reason retrying will not change.</summary>
    Refused,
}

/// <summary>A REST call Tencent (or the way to it) did not answer with success.</summary>
public sealed class TencentApiException(RestFailure failure, long errorCode, string message) : Exception(message)
{
    public RestFailure Failure { get; } = failure;

    /// <summary>Tencent's ErrorCode, or the HTTP status when the call failed before Tencent answered, or 0.</summary>
    public long ErrorCode { get; } = errorCode;

    /// <summary>Whether the same call may succeed later unchanged: Tencent or the way to it was down, or a renewed signature was refused once more.</summary>
    public static bool MayPass(Exception exception) => MeaningOf(exception) is RestFailure.Transient or RestFailure.SignatureExpired;

    /// <summary>What a failed call means, when it failed at Tencent or on the way there (retries spent); null for anything else.</summary>
    public static RestFailure? MeaningOf(Exception exception) => exception switch
    {
        TencentApiException api => api.Failure,
        HttpRequestException or Polly.Timeout.TimeoutRejectedException => RestFailure.Transient,
        _ => null,
    };
}

/// <summary>Tencent's REST error codes and what each means here (reference section 7 and 8).</summary>
public static class RestErrorCodes
{
    public const long SignatureExpired = 70001;
    public const long LockedOut = 70050;

    public static RestFailure Classify(long code) => code switch
    {
        SignatureExpired => RestFailure.SignatureExpired,
        10010 or 10015 => RestFailure.GroupGone,
        10018 => RestFailure.AnswerTooLarge,
        10002 or 60007 or 60008 or 60011 or 60018 or 60019 or LockedOut => RestFailure.Transient,
        _ when SettingToFix(code) is not null => RestFailure.Configuration,
        _ => RestFailure.Refused,
    };

    /// <summary>The one thing an operator should change when Tencent refuses the app's identity, or null.</summary>
    public static string? SettingToFix(long code) => code switch
    {
        60006 or 70014 => "TencentChat__SdkAppId (Tencent does not know this SDKAppID)",
        70016 or 70020 => "TencentChat__ApiBaseUrl (the SDKAppID or its key is not in that region's data centre)",
        70003 or 70009 => "TencentChat__SecretKey (the UserSig does not verify with the app's key)",
        60004 or 60005 => "TencentChat__AdminIdentifier or TencentChat__SecretKey (the account or its UserSig is refused)",
        60010 or 70013 or 10007 => "TencentChat__AdminIdentifier (it must be an App admin account of this app)",
        60020 => "the app's Tencent Cloud Chat package (it has expired)",
        60021 => "the IP allowlist in Tencent's console (this app's outbound address is not allowed)",
        _ => null,
    };
}
