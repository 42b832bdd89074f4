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

    protected async Task<IReadOnlyList<QueueMessage>> TakeAllAsync(string queueName)
    {
        var queue = Azurite.Queue(queueName);
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

    /// <summary>Runs the queue-triggered function on every queued event, as the host would.</summary>
    protected async Task<int> SynchronizeQueuedAsync(TestApp? app = null)
    {
        var events = await QueuedEventsAsync();
        foreach (var message in events)
            await (app ?? App).SynchronizeAsync(message.Body.ToString());
        return events.Count;
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
