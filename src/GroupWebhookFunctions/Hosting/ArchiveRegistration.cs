using Azure.Data.Tables;
using GroupWebhookFunctions.Archive;
using GroupWebhookFunctions.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GroupWebhookFunctions.Hosting;

/// <summary>Reading the archive: its own table clients over the app's tables and payload container.</summary>
public static class ArchiveRegistration
{
    public static IServiceCollection AddArchive(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var account = provider.GetRequiredService<StorageAccount>();
            return new ArchiveReader(
                account.Table(StorageNames.MessageTable, new TableClientOptions()),
                account.Table(StorageNames.SummaryTable, new TableClientOptions()),
                account.Table(StorageNames.ReaderTable, new TableClientOptions()),
                provider.GetRequiredService<BlobPayloadStore>());
        });
        services.AddSingleton<MessagePager>();
        services.AddSingleton<ArchiveService>();
        services.AddSingleton<TencentHistoryService>();
        return services;
    }
}
