using System.Reflection;

namespace GroupWebhookFunctions.Tests.Infrastructure;

/// <summary>Paths in the repository this test assembly was built from.</summary>
public static class Repository
{
    public static string Root { get; } = Metadata("RepoRoot");

    public static string Configuration { get; } = Metadata("Configuration");

    public static string NuGetPackageRoot { get; } = Metadata("NuGetPackageRoot");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string FunctionAppOutput => PathOf("src", "GroupWebhookFunctions", "bin", Configuration, "net10.0");

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
