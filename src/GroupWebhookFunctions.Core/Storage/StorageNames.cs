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

    /// <summary>One row per history import: what it asked for and how far it got.</summary>
    public const string ImportTable = "HistoryImports";

    /// <summary>One message per page of an import still to fetch.</summary>
    public const string ImportQueue = "history-import-pages";
    public const string ImportPoisonQueue = ImportQueue + "-poison";
}
