using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using GroupWebhookFunctions.Testing;

namespace GroupWebhookFunctions.HostTests.Hosting;

/// <summary>
/// One Functions host running the published app on a free loopback port, as `func start` runs it: the app settings
/// as environment variables, function keys from a secrets file written for this run, its log captured. Stopping it
/// ends the host and its worker.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _workDirectory;

    private HostProcess(Process process, string workDirectory, int port, string masterKey, string functionKey, HostLog log)
    {
        (_process, _workDirectory, Port, MasterKey, FunctionKey, Log) = (process, workDirectory, port, masterKey, functionKey, log);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(100) };
    }

    public int Port { get; }

    public string MasterKey { get; }

    public string FunctionKey { get; }

    public HostLog Log { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public static async Task<HostProcess> StartAsync(HostKind kind, string appDirectory, IReadOnlyDictionary<string, string> settings, string logPath, TimeSpan timeout)
    {
        var port = AzuriteProcess.FreePort();
        var (masterKey, functionKey) = (NewKey(), NewKey());
        var work = Directory.CreateTempSubdirectory("gwf-host-").FullName;
        foreach (var folder in new[] { "workers", "secrets", "logs" })
            Directory.CreateDirectory(Path.Combine(work, folder));
        await File.WriteAllTextAsync(Path.Combine(work, "secrets", "host.json"), JsonSerializer.Serialize(new
        {
            masterKey = new { name = "master", value = masterKey, encrypted = false },
            functionKeys = new[] { new { name = "default", value = functionKey, encrypted = false } },
            systemKeys = Array.Empty<object>(),
            hostName = $"127.0.0.1:{port}",
            instanceId = "host-tests",
            source = "runtime",
            decryptionKeyId = "",
        }));

        var start = kind.BinDirectory is { } bin
            ? new ProcessStartInfo("dotnet") { WorkingDirectory = bin, ArgumentList = { Path.Combine(bin, HostKind.HostAssembly) } }
            : new ProcessStartInfo(kind.Func!) { WorkingDirectory = appDirectory, ArgumentList = { "start", "--port", port.ToString(), "--enableAuth", "--no-build" } };
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var (name, value) in settings)
            start.Environment[name] = value;
        start.Environment["AzureWebJobsScriptRoot"] = appDirectory;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        start.Environment["FUNCTIONS_LOGPATH"] = Path.Combine(work, "logs");
        start.Environment["FUNCTIONS_SECRETS_PATH"] = Path.Combine(work, "secrets");
        start.Environment["AzureWebJobsSecretStorageType"] = "files";
        start.Environment["languageWorkers__workersDirectory"] = Path.Combine(work, "workers");
        start.Environment["languageWorkers__dotnet-isolated__workerDirectory"] = appDirectory;

        var log = new HostLog(logPath);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The Functions host did not start.");
        process.OutputDataReceived += (_, e) => log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => log.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, work, port, masterKey, functionKey, log);
        try
        {
            await host.WaitUntilRunningAsync(timeout);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    /// <summary>Waits until the host says it runs and the worker answers an HTTP function; throws with the log's tail if it does not.</summary>
    public async Task WaitUntilRunningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await AnswersAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"The Functions host did not become ready within {timeout} (exited: {_process.HasExited}). Its log ends:\n{Log}");
            await Task.Delay(250);
        }
    }

    /// <summary>The app's worker: the host's child process running GroupWebhookFunctions.dll (Linux: read from /proc).</summary>
    public int? WorkerProcessId()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                if (parent == _process.Id && File.ReadAllText(Path.Combine(folder, "cmdline")).Contains("GroupWebhookFunctions.dll", StringComparison.Ordinal))
                    return pid;
            }
            catch (IOException)
            {
            }
        }
        return null;
    }

    /// <summary>Resident memory of the host and its worker together, in bytes (Linux: VmRSS).</summary>
    public long ResidentBytes() => ResidentBytesOf(_process.Id) + (WorkerProcessId() is { } worker ? ResidentBytesOf(worker) : 0);

    public static long ResidentBytesOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public static HttpRequestMessage WithKey(HttpMethod method, string path, string? key, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (key is not null)
            request.Headers.Add("x-functions-key", key);
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Log.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The host's status says Running and the worker answers the health endpoint.</summary>
    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var status = await Http.SendAsync(WithKey(HttpMethod.Get, "admin/host/status", MasterKey));
            if (status.StatusCode != HttpStatusCode.OK || !(await status.Content.ReadAsStringAsync()).Contains("\"Running\"", StringComparison.Ordinal))
                return false;
            using var health = await Http.SendAsync(WithKey(HttpMethod.Get, "api/ops/health", FunctionKey));
            return health.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
