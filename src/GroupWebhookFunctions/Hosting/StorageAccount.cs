using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace GroupWebhookFunctions.Hosting;

/// <summary>
/// The storage account behind a Functions connection setting, in either of its forms: a connection string
/// (AzureWebJobsStorage) or identity-based settings (AzureWebJobsStorage__queueServiceUri, __credential, ...).
/// Creating clients makes no network call.
/// </summary>
public sealed class StorageAccount
{
    private readonly string? _connectionString;
    private readonly Uri? _queueUri;
    private readonly Uri? _blobUri;
    private readonly Uri? _tableUri;
    private readonly TokenCredential? _credential;

    private StorageAccount(string connectionString) => _connectionString = connectionString;

    private StorageAccount(Uri queueUri, Uri blobUri, Uri tableUri, TokenCredential credential)
    {
        _queueUri = queueUri;
        _blobUri = blobUri;
        _tableUri = tableUri;
        _credential = credential;
    }

    public bool UsesIdentity => _credential is not null;

    public static StorageAccount FromConfiguration(IConfiguration configuration, string connectionName)
    {
        var section = configuration.GetSection(connectionName);
        if (!string.IsNullOrWhiteSpace(section.Value))
            return new StorageAccount(section.Value);

        var accountName = section["accountName"];
        var queueUri = ServiceUri(section, "queue", accountName);
        var blobUri = ServiceUri(section, "blob", accountName);
        var tableUri = ServiceUri(section, "table", accountName);
        if (queueUri is null || blobUri is null || tableUri is null)
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set '{connectionName}' to a connection string, or set '{connectionName}__accountName' " +
                $"(or '{connectionName}__queueServiceUri', '__blobServiceUri' and '__tableServiceUri') for identity-based access.");
        }

        TokenCredential credential = string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrEmpty(section["clientId"])
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(section["clientId"]))
            : new DefaultAzureCredential();
        return new StorageAccount(queueUri, blobUri, tableUri, credential);
    }

    public QueueClient Queue(string name, QueueClientOptions options) =>
        _connectionString is not null ? new QueueClient(_connectionString, name, options) : new QueueClient(new Uri(_queueUri!, name), _credential, options);

    public BlobContainerClient Container(string name, BlobClientOptions options) =>
        _connectionString is not null ? new BlobContainerClient(_connectionString, name, options) : new BlobContainerClient(new Uri(_blobUri!, name), _credential, options);

    public TableClient Table(string name, TableClientOptions options) =>
        _connectionString is not null ? new TableClient(_connectionString, name, options) : new TableClient(_tableUri!, name, _credential, options);

    private static Uri? ServiceUri(IConfigurationSection section, string service, string? accountName)
    {
        var configured = section[$"{service}ServiceUri"];
        if (!string.IsNullOrWhiteSpace(configured))
            return new Uri(configured.EndsWith('/') ? configured : configured + "/");
        return string.IsNullOrWhiteSpace(accountName) ? null : new Uri($"https://{accountName}.{service}.core.windows.net/");
    }
}
