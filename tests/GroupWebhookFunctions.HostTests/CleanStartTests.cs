using GroupWebhookFunctions.HostTests.Hosting;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.HostTests;

/// <summary>host.json as shipped, under the host: a clean start and a webhook stored leave no error and no noise in the log.</summary>
[Collection(HostCollection.Name)]
public class CleanStartTests(HostedApp app)
{
    [SkippableFact]
    public void The_host_runs_the_host_json_the_repository_ships()
    {
        app.Require();

        Assert.Equal(File.ReadAllText(Repository.PathOf("host.json")), File.ReadAllText(app.PublishedHostJson));
    }

    [SkippableFact]
    public void A_clean_start_and_a_stored_webhook_write_no_error_and_no_warning_to_the_host_log()
    {
        app.Require();

        var clean = app.Host.Log.EntriesSince(0, app.CleanRunEnd);

        Assert.NotEmpty(app.Host.Log.LinesSince(0, app.CleanRunEnd));
        Assert.DoesNotContain(clean, e => e.IsError);
        // Warnings too: the storage SDK's 404s for queues not created yet came several times a second from an idle host.
        Assert.DoesNotContain(clean, e => e.Level == "warn");
    }
}
