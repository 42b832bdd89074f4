using System.Globalization;

namespace GroupWebhookFunctions.LoadHarness;

public sealed record HarnessOptions(int Requests, int Concurrency, int Rounds, string? Output, string Scenario = "webhooks", int CallsPerSecond = 20, int Groups = 10_000)
{
    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions(2000, 16, 5, null);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options = args[i] switch
            {
                "--requests" => options with { Requests = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--concurrency" => options with { Concurrency = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--rounds" => options with { Rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--out" => options with { Output = args[i + 1] },
                "--scenario" => options with { Scenario = args[i + 1] },
                "--calls-per-second" => options with { CallsPerSecond = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--groups" => options with { Groups = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {args[i]}: use --requests N --concurrency N --rounds N --out FILE, or --scenario reconcile --calls-per-second N --groups N --out FILE"),
            };
        }
        return options;
    }

    public static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GroupWebhookFunctions.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("Run the harness from inside the repository.");
    }
}
