using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Testing;

namespace GroupWebhookFunctions.Tests.Infrastructure;

/// <summary>One real Azurite for every storage test; <see cref="ResetAsync"/> gives each test empty storage.</summary>
public sealed class Azurite : IAsyncLifetime
{
    private AzuriteProcess? _process;

    public string ConnectionString => _process?.ConnectionString ?? throw new InvalidOperationException("Azurite has not started.");

    public static string UnreachableConnectionString { get; } = AzuriteProcess.UnreachableConnectionString();

    public QueueClient Queue(string name) => new(ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    public TableClient Table(string name) => new(ConnectionString, name);

    public BlobContainerClient Container(string name) => new(ConnectionString, name);

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
        await Queue(StorageNames.ImportQueue).DeleteIfExistsAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<Azurite>
{
    public const string Name = "Azurite";
}
