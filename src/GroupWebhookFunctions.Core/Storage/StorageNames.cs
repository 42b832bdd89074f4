namespace GroupWebhookFunctions.Storage;

/// <summary>Every storage name the app uses; infra/ provisions exactly these.</summary>
public static class StorageNames
{
    /// <summary>The app setting (or setting prefix, for identity-based access) of the one storage account.</summary>
    public const string Connection = "AzureWebJobsStorage";

    public const string EventQueue = "group-message-events";
    public const string PoisonQueue = EventQueue + "-poison";
    public const string PayloadContainer = "group-message-payloads";
    public const string MessageTable = "GroupMessages";
    public const string SummaryTable = "GroupSummaries";
    public const string ReaderTable = "GroupMessageReaders";
    public const string FailureTable = "GroupMessageFailures";
}
