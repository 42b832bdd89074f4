using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace GroupWebhookFunctions.Testing;

/// <summary>
/// Azurite (blob, queue, table) from the repository's node_modules, on free loopback ports, in memory, with an
/// account and key made up for this run: nothing it stores outlives it, and no key is written anywhere.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountName = "groupwebhooktests";
    private readonly Process _process;

    private AzuriteProcess(Process process, string connectionString)
    {
        _process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>A connection string to ports where nothing listens: storage that is down.</summary>
    public static string UnreachableConnectionString() => ConnectionStringFor(FreePort(), FreePort(), FreePort(), NewKey());

    public static async Task<AzuriteProcess> StartAsync(string repositoryRoot)
    {
        var script = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"Azurite is not installed at {script}: run 'npm ci' in {repositoryRoot}.");

        var (blobPort, queuePort, tablePort) = (FreePort(), FreePort(), FreePort());
        var key = NewKey();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            script, "--silent", "--inMemoryPersistence", "--loose", "--skipApiVersionCheck", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", Port(blobPort), "--queuePort", Port(queuePort), "--tablePort", Port(tablePort),
        })
            start.ArgumentList.Add(argument);
        start.Environment["AZURITE_ACCOUNTS"] = $"{AccountName}:{key}";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var port in new[] { blobPort, queuePort, tablePort })
        {
            while (!await AcceptsAsync(port).ConfigureAwait(false))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    process.Kill(entireProcessTree: true);
                    throw new InvalidOperationException($"Azurite did not open port {port} (exited: {process.HasExited}).");
                }
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
        return new AzuriteProcess(process, ConnectionStringFor(blobPort, queuePort, tablePort, key));
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string ConnectionStringFor(int blobPort, int queuePort, int tablePort, string key) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={key};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    public static int FreePort()
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
            await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
