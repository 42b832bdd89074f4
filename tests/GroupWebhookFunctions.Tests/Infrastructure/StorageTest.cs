using Azure.Data.Tables;
using Azure.Storage.Queues.Models;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.Tests.Infrastructure;

/// <summary>A test against Azurite that starts from empty storage, with the function app wired to it.</summary>
[Collection(AzuriteCollection.Name)]
public abstract class StorageTest(Azurite azurite) : IAsyncLifetime
{
    private TestApp? _app;

    protected Azurite Azurite { get; } = azurite;

    protected TestApp App => _app ??= CreateApp();

    protected virtual TestApp CreateApp() => new(Azurite.ConnectionString);

    public virtual Task InitializeAsync() => Azurite.ResetAsync();

    public virtual Task DisposeAsync()
    {
        _app?.Dispose();
        return Task.CompletedTask;
    }

    protected Task<IReadOnlyList<QueueMessage>> QueuedEventsAsync() => TakeAllAsync(StorageNames.EventQueue);

    protected Task<IReadOnlyList<QueueMessage>> TakeAllAsync(string queueName) => Azurite.TakeAllAsync(queueName);

    /// <summary>Runs the queue-triggered function on every queued event, as the host would.</summary>
    protected async Task<int> SynchronizeQueuedAsync(TestApp? app = null)
    {
        var events = await QueuedEventsAsync();
        foreach (var message in events)
            await (app ?? App).SynchronizeAsync(message.Body.ToString());
        return events.Count;
    }

    /// <summary>The names of the payload container's blobs under <paramref name="prefix"/>.</summary>
    protected async Task<List<string>> BlobsAsync(string prefix)
    {
        var names = new List<string>();
        var container = Azurite.Container(StorageNames.PayloadContainer);
        if (!await container.ExistsAsync())
            return names;
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None))
            names.Add(blob.Name);
        return names;
    }

    protected async Task<IReadOnlyList<TableEntity>> RowsAsync(string tableName)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in Azurite.Table(tableName).QueryAsync<TableEntity>())
                rows.Add(row);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
        }
        return rows;
    }
}
