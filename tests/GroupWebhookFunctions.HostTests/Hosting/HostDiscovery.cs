namespace GroupWebhookFunctions.HostTests.Hosting;

/// <summary>Which Functions host runs the app: a host's bin folder (FUNCTIONS_HOST_DIR), or the Core Tools' func.</summary>
public sealed record HostKind(string Description, string? BinDirectory, string? Func)
{
    public const string HostDirSetting = "FUNCTIONS_HOST_DIR";
    public const string HostAssembly = "Microsoft.Azure.WebJobs.Script.WebHost.dll";

    /// <summary>
    /// FUNCTIONS_HOST_DIR when set (and then it must hold a host: a wrong folder fails the tests, it does not skip
    /// them); else func on the PATH; else null, with the reason to skip.
    /// </summary>
    public static HostKind? Find(out string? whyNot)
    {
        whyNot = null;
        var directory = Environment.GetEnvironmentVariable(HostDirSetting);
        if (!string.IsNullOrWhiteSpace(directory))
        {
            var full = Path.GetFullPath(directory);
            if (!File.Exists(Path.Combine(full, HostAssembly)))
                throw new InvalidOperationException($"{HostDirSetting} is '{directory}', but {HostAssembly} is not in {full}.");
            return new HostKind($"the Functions host in {full}", full, null);
        }
        if (FindOnPath("func") is { } func)
            return new HostKind($"the Core Tools at {func}", null, func);
        whyNot = $"Host-level tests skipped: no Functions host found (set {HostDirSetting} to a host's bin folder, or install the Core Tools so that 'func' is on the PATH).";
        return null;
    }

    private static string? FindOnPath(string name)
    {
        string[] names = OperatingSystem.IsWindows() ? [name + ".cmd", name + ".exe"] : [name];
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => names.Select(file => Path.Combine(folder, file)))
            .FirstOrDefault(File.Exists);
    }
}
