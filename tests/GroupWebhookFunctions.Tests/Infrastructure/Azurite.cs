using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.Tests.Infrastructure;

/// <summary>
/// A real Azurite (blob, queue, table) on free loopback ports, in memory, with an account and key made up for this
/// run. One instance serves every storage test; <see cref="ResetAsync"/> gives each test empty storage.
/// </summary>
public sealed class Azurite : IAsyncLifetime
{
    private const string AccountName = "groupwebhooktests";
    private Process? _process;

    public string ConnectionString { get; private set; } = "";

    /// <summary>A connection string to a port where nothing listens: storage that is down.</summary>
    public static string UnreachableConnectionString { get; } = ConnectionStringFor(FreePort(), FreePort(), FreePort(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)));

    public QueueClient Queue(string name) => new(ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    public TableClient Table(string name) => new(ConnectionString, name);

    public BlobContainerClient Container(string name) => new(ConnectionString, name);

    public async Task InitializeAsync()
    {
        var script = Repository.PathOf("node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"Azurite is not installed at {script}: run 'npm ci' in {Repository.Root}.");

        var (blobPort, queuePort, tablePort) = (FreePort(), FreePort(), FreePort());
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                script, "--silent", "--inMemoryPersistence", "--loose", "--skipApiVersionCheck", "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", blobPort.ToString(), "--queuePort", queuePort.ToString(), "--tablePort", tablePort.ToString(),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["AZURITE_ACCOUNTS"] = $"{AccountName}:{key}";
        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var port in new[] { blobPort, queuePort, tablePort })
        {
            while (!await AcceptsAsync(port))
            {
                if (_process.HasExited || DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"Azurite did not open port {port} (exited: {_process.HasExited}).");
                await Task.Delay(100);
            }
        }
        ConnectionString = ConnectionStringFor(blobPort, queuePort, tablePort, key);
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Deletes everything the app creates, so each test starts from storage as a fresh deployment has it.</summary>
    public async Task ResetAsync()
    {
        await Queue(StorageNames.EventQueue).DeleteIfExistsAsync();
        await Queue(StorageNames.PoisonQueue).DeleteIfExistsAsync();
        await Container(StorageNames.PayloadContainer).DeleteIfExistsAsync();
        await Table(StorageNames.MessageTable).DeleteAsync();
        await Table(StorageNames.SummaryTable).DeleteAsync();
    }

    private static string ConnectionStringFor(int blobPort, int queuePort, int tablePort, string key) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={key};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<Azurite>
{
    public const string Name = "Azurite";
}
