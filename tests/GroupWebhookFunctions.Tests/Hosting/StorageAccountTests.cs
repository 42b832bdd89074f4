using GroupWebhookFunctions.Hosting;
using Microsoft.Extensions.Configuration;

namespace GroupWebhookFunctions.Tests.Hosting;

public class StorageAccountTests
{
    private static StorageAccount From(params (string Key, string Value)[] settings) =>
        StorageAccount.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build(),
            "AzureWebJobsStorage");

    [Fact]
    public void A_connection_string_serves_queues_blobs_and_tables()
    {
        var account = From(("AzureWebJobsStorage", "UseDevelopmentStorage=true"));

        Assert.False(account.UsesIdentity);
        Assert.Equal("devstoreaccount1", account.Queue("q", new()).AccountName);
        Assert.Equal("devstoreaccount1", account.Table("t", new()).AccountName);
        Assert.Equal("devstoreaccount1", account.Container("c", new()).AccountName);
    }

    [Fact]
    public void Identity_based_settings_give_each_service_its_own_uri()
    {
        var account = From(
            ("AzureWebJobsStorage:queueServiceUri", "https://acct.queue.core.windows.net"),
            ("AzureWebJobsStorage:blobServiceUri", "https://acct.blob.core.windows.net"),
            ("AzureWebJobsStorage:tableServiceUri", "https://acct.table.core.windows.net"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001"));

        Assert.True(account.UsesIdentity);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net/group-message-events"), account.Queue("group-message-events", new()).Uri);
        Assert.Equal(new Uri("https://acct.blob.core.windows.net/group-message-payloads"), account.Container("group-message-payloads", new()).Uri);
        Assert.Equal("GroupMessages", account.Table("GroupMessages", new()).Name);
        Assert.Equal("acct", account.Table("GroupMessages", new()).AccountName);
    }

    [Fact]
    public void An_account_name_alone_is_enough_for_identity_based_access()
    {
        var account = From(("AzureWebJobsStorage:accountName", "acct"));

        Assert.Equal(new Uri("https://acct.queue.core.windows.net/q"), account.Queue("q", new()).Uri);
    }

    [Fact]
    public void No_storage_setting_is_an_error_that_names_the_settings()
    {
        var error = Assert.Throws<InvalidOperationException>(() => From());

        Assert.Contains("AzureWebJobsStorage__accountName", error.Message, StringComparison.Ordinal);
    }
}
