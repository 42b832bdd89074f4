using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Testing;

namespace GroupWebhookFunctions.Tests.Infrastructure;

/// <summary>One real Azurite for every storage test; <see cref="ResetAsync"/> gives each test empty storage.</summary>
public sealed class Azurite : IAsyncLifetime
{
    private AzuriteProcess? _process;

    public string ConnectionString => _process?.ConnectionString ?? throw new InvalidOperationException("Azurite has not started.");

    public static string UnreachableConnectionString { get; } = AzuriteProcess.UnreachableConnectionString();

    /// <summary>
    /// This Azurite with one service (<c>Blob</c>, <c>Queue</c> or <c>Table</c>) moved to a port where nothing listens:
    /// a storage account whose other services still answer.
    /// </summary>
    public string ConnectionStringWithout(string service)
    {
        var endpoint = service + "Endpoint=";
        var unreachable = UnreachableConnectionString.Split(';').Single(part => part.StartsWith(endpoint, StringComparison.Ordinal));
        return string.Join(';', ConnectionString.Split(';').Select(part => part.StartsWith(endpoint, StringComparison.Ordinal) ? unreachable : part));
    }

    public QueueClient Queue(string name) => new(ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    public TableClient Table(string name) => new(ConnectionString, name);

    public BlobContainerClient Container(string name) => new(ConnectionString, name);

    /// <summary>Receives every message of a queue (hidden for five minutes), as a reader that will not give them back.</summary>
    public async Task<IReadOnlyList<QueueMessage>> TakeAllAsync(string queueName)
    {
        var queue = Queue(queueName);
        if (!await queue.ExistsAsync())
            return [];
        var taken = new List<QueueMessage>();
        while (true)
        {
            QueueMessage[] batch = await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5));
            if (batch.Length == 0)
                return taken;
            taken.AddRange(batch);
        }
    }

    public async Task InitializeAsync() => _process = await AzuriteProcess.StartAsync(Repository.Root);

    public async Task DisposeAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
    }

    /// <summary>Deletes everything the app creates, so each test starts from storage as a fresh deployment has it.</summary>
    public async Task ResetAsync()
    {
        await Queue(StorageNames.EventQueue).DeleteIfExistsAsync();
        await Queue(StorageNames.PoisonQueue).DeleteIfExistsAsync();
        await Container(StorageNames.PayloadContainer).DeleteIfExistsAsync();
        await Table(StorageNames.MessageTable).DeleteAsync();
        await Table(StorageNames.SummaryTable).DeleteAsync();
        await Table(StorageNames.ReaderTable).DeleteAsync();
        await Table(StorageNames.FailureTable).DeleteAsync();
        await Table(StorageNames.ImportTable).DeleteAsync();
        await Table(StorageNames.ReconcileStateTable).DeleteAsync();
        await Queue(StorageNames.ImportQueue).DeleteIfExistsAsync();
        await Queue(StorageNames.ImportPoisonQueue).DeleteIfExistsAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<Azurite>
{
    public const string Name = "Azurite";
}
