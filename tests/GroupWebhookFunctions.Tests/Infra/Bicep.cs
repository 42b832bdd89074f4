using System.Diagnostics;
using System.Text.Json;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Infra;

/// <summary>The Bicep compiler from the NuGet package the test project downloads.</summary>
public static class Bicep
{
    private static readonly Lazy<JsonElement> Compiled = new(() => JsonDocument.Parse(Run("build", "--stdout", Repository.PathOf("infra", "main.bicep")).Output).RootElement);

    public static string Executable
    {
        get
        {
            var path = Path.Combine(Repository.NuGetPackageRoot, "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep");
            if (!File.Exists(path))
                throw new InvalidOperationException($"The Bicep compiler is not at {path}: restore the test project.");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
            return path;
        }
    }

    /// <summary>infra/main.bicep compiled to an ARM template.</summary>
    public static JsonElement MainTemplate => Compiled.Value;

    public static (int ExitCode, string Output, string Errors) Run(params string[] arguments) => Run(new Dictionary<string, string>(), arguments);

    public static (int ExitCode, string Output, string Errors) Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, errors.Result);
    }
}
