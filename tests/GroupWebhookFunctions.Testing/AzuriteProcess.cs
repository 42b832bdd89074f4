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
    internal const string AccountName = "groupwebhooktests";

    /// <summary>Flags every Azurite service gets: current SDKs ask for API versions Azurite may not list yet.</summary>
    internal static readonly string[] CommonFlags = ["--silent", "--loose", "--skipApiVersionCheck", "--disableTelemetry"];

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
        var (blobPort, queuePort, tablePort) = (FreePort(), FreePort(), FreePort());
        var key = NewKey();
        var process = await StartNodeAsync(ScriptPath(repositoryRoot, "azurite.js"), key,
            [
                .. CommonFlags, "--inMemoryPersistence",
                "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", Port(blobPort), "--queuePort", Port(queuePort), "--tablePort", Port(tablePort),
            ],
            [blobPort, queuePort, tablePort]).ConfigureAwait(false);
        return new AzuriteProcess(process, ConnectionStringFor(blobPort, queuePort, tablePort, key));
    }

    public ValueTask DisposeAsync()
    {
        Stop(_process);
        return ValueTask.CompletedTask;
    }

    /// <summary>One of Azurite's scripts (dist/src/azurite.js, or blob/, queue/, table/ main.js for one service).</summary>
    internal static string ScriptPath(string repositoryRoot, params string[] parts)
    {
        var script = Path.Combine([repositoryRoot, "node_modules", "azurite", "dist", "src", .. parts]);
        if (!File.Exists(script))
            throw new InvalidOperationException($"Azurite is not installed at {script}: run 'npm ci' in {repositoryRoot}.");
        return script;
    }

    /// <summary>Starts an Azurite script under node and waits until every one of <paramref name="ports"/> accepts connections.</summary>
    internal static async Task<Process> StartNodeAsync(string script, string key, IEnumerable<string> arguments, IEnumerable<int> ports)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["AZURITE_ACCOUNTS"] = $"{AccountName}:{key}";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var port in ports)
        {
            while (!await AcceptsAsync(port).ConfigureAwait(false))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    Stop(process);
                    throw new InvalidOperationException($"Azurite did not open port {port} (exited: {process.HasExited}).");
                }
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
        return process;
    }

    internal static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        process.Dispose();
    }

    internal static string ConnectionStringFor(int blobPort, int queuePort, int tablePort, string key) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={key};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";

    internal static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

    internal static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static async Task<bool> AcceptsAsync(int port)
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
