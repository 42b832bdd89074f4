namespace GroupWebhookFunctions.Storage;

/// <summary>Every storage name the app uses; infra/ provisions exactly these.</summary>
public static class StorageNames
{
    /// <summary>The app setting (or setting prefix, for identity-based access) of the one storage account.</summary>
    public const string Connection = "AzureWebJobsStorage";

    public const string EventQueue = "group-message-events";
    public const string PoisonQueue = EventQueue + PoisonSuffix;
    public const string PayloadContainer = "group-message-payloads";
    public const string MessageTable = "GroupMessages";
    public const string SummaryTable = "GroupSummaries";
    public const string ReaderTable = "GroupMessageReaders";
    public const string FailureTable = "GroupMessageFailures";

    /// <summary>One row per history import: what it asked for and how far it got.</summary>
    public const string ImportTable = "HistoryImports";

    /// <summary>One message per page of an import still to fetch.</summary>
    public const string ImportQueue = "history-import-pages";
    public const string ImportPoisonQueue = ImportQueue + PoisonSuffix;

    /// <summary>Reconciliation as a whole: when it started, and where discovery and passes stopped (their cursors).</summary>
    public const string ReconcileStateTable = "ReconcileState";

    /// <summary>After-events waiting for delivery to the app's own handler (Relay__Url).</summary>
    public const string RelayQueue = "relay-deliveries";
    public const string RelayPoisonQueue = RelayQueue + PoisonSuffix;

    /// <summary>The app's Tencent call budget, shared by every instance: one row per scope, a ring of start times.</summary>
    public const string BudgetTable = "TencentCallBudget";

    /// <summary>What the Functions host (and the app) appends to a queue's name for its poison queue.</summary>
    public const string PoisonSuffix = "-poison";

    /// <summary>
    /// Every queue a function of the app is triggered by, each with its poison queue: the one list the health report
    /// shows and the poison replay serves.
    /// </summary>
    public static readonly IReadOnlyList<string> TriggerQueues = [EventQueue, ImportQueue, RelayQueue];

    /// <summary>Every poison queue, in the order of <see cref="TriggerQueues"/>.</summary>
    public static readonly IReadOnlyList<string> PoisonQueues = [.. TriggerQueues.Select(queue => queue + PoisonSuffix)];

    /// <summary>The queue a poison queue's messages came from, and go back to when replayed.</summary>
    public static string SourceOf(string poisonQueue) => poisonQueue[..^PoisonSuffix.Length];
}
