namespace GroupWebhookFunctions.Synchronizing;

/// <summary>Column names beyond Tencent's own field names, which the tables use as they are.</summary>
public static class GroupMessageColumns
{
    public const string SdkAppId = "SdkAppid";
    public const string ClientIp = "ClientIP";
    public const string OptPlatform = "OptPlatform";
    public const string ReceivedAt = "ReceivedAt";

    /// <summary>The text elements joined, for people browsing the table; MsgBody is the record.</summary>
    public const string Text = "Text";

    /// <summary>Top-level fields Tencent sent that this version does not name, as a JSON object.</summary>
    public const string ExtraFields = "ExtraFields";

    /// <summary>Suffix of the column naming the blob that holds a value too large for a table property.</summary>
    public const string BlobSuffix = "Blob";

    public const string UpdatedAt = "UpdatedAt";

    /// <summary>Table Storage holds a string property of at most 32K UTF-16 characters.</summary>
    public const int MaxStringLength = 32 * 1024;

    public const int MaxTextLength = 4 * 1024;
}
