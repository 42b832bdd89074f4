using System.Diagnostics;

namespace GroupWebhookFunctions.Testing;

/// <summary>
/// Azurite's three services as three processes (azurite-blob, azurite-queue, azurite-table) on free loopback ports
/// with one made-up account key, so that one service can go down and come back while the others keep running: a
/// storage outage of the tables alone. Data lives in a temporary folder that is removed at the end, so the tables
/// outlive a restart of their service.
/// </summary>
public sealed class AzuriteServices : IAsyncDisposable
{
    private readonly string _repositoryRoot;
    private readonly string _key = AzuriteProcess.NewKey();
    private readonly string _location = Directory.CreateTempSubdirectory("gwf-azurite-").FullName;
    private readonly Dictionary<string, (int Port, Process? Process)> _services = new(StringComparer.Ordinal)
    {
        ["blob"] = (AzuriteProcess.FreePort(), null),
        ["queue"] = (AzuriteProcess.FreePort(), null),
        ["table"] = (AzuriteProcess.FreePort(), null),
    };

    private AzuriteServices(string repositoryRoot) => _repositoryRoot = repositoryRoot;

    public string ConnectionString => AzuriteProcess.ConnectionStringFor(_services["blob"].Port, _services["queue"].Port, _services["table"].Port, _key);

    public static async Task<AzuriteServices> StartAsync(string repositoryRoot)
    {
        var services = new AzuriteServices(repositoryRoot);
        try
        {
            await Task.WhenAll(services.StartServiceAsync("blob"), services.StartServiceAsync("queue"), services.StartServiceAsync("table")).ConfigureAwait(false);
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return services;
    }

    /// <summary>Table Storage goes down: its process ends, its port refuses connections.</summary>
    public void StopTables()
    {
        var (port, process) = _services["table"];
        if (process is not null)
            AzuriteProcess.Stop(process);
        _services["table"] = (port, null);
    }

    /// <summary>Table Storage comes back on the same port, with the tables it had.</summary>
    public Task StartTablesAsync() => _services["table"].Process is null ? StartServiceAsync("table") : Task.CompletedTask;

    public ValueTask DisposeAsync()
    {
        foreach (var name in _services.Keys.ToList())
        {
            if (_services[name].Process is { } process)
                AzuriteProcess.Stop(process);
            _services[name] = (_services[name].Port, null);
        }
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }

    private async Task StartServiceAsync(string service)
    {
        var port = _services[service].Port;
        var folder = Directory.CreateDirectory(Path.Combine(_location, service)).FullName;
        var process = await AzuriteProcess.StartNodeAsync(
            AzuriteProcess.ScriptPath(_repositoryRoot, service, "main.js"), _key,
            [.. AzuriteProcess.CommonFlags, "--location", folder, $"--{service}Host", "127.0.0.1", $"--{service}Port", AzuriteProcess.Port(port)],
            [port]).ConfigureAwait(false);
        lock (_services)
            _services[service] = (port, process);
    }
}
