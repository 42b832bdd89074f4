using System.Text.Json;
using GroupWebhookFunctions.Functions;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.Tests.Infrastructure;

/// <summary>History imports driven as the host drives them: the operations endpoints, and the page queue's trigger.</summary>
public static class HistoryImports
{
    public static async Task<string> StartAsync(TestApp app, string body)
    {
        var (status, answer) = await app.OperateAsync((f, r) => f.StartImportAsync(r, CancellationToken.None), body: body);
        Assert.Equal(202, status);
        return answer.GetProperty("Id").GetString()!;
    }

    public static async Task<JsonElement> ProgressAsync(TestApp app, string id)
    {
        var (status, answer) = await app.OperateAsync((f, r) => f.GetImportAsync(r, id, CancellationToken.None));
        Assert.Equal(200, status);
        return answer;
    }

    /// <summary>Runs the queue-triggered page function as the host would, until the queue is empty or <paramref name="pages"/> ran.</summary>
    public static async Task RunPagesAsync(Azurite azurite, TestApp app, int pages)
    {
        for (var ran = 0; ran < pages;)
        {
            var taken = await azurite.TakeAllAsync(StorageNames.ImportQueue);
            if (taken.Count == 0)
                return;
            foreach (var message in taken)
            {
                await app.Get<ImportHistoryPageFunction>().RunAsync(message.Body.ToString(), new TestFunctionContext(), CancellationToken.None);
                await azurite.Queue(StorageNames.ImportQueue).DeleteMessageAsync(message.MessageId, message.PopReceipt);
                ran++;
            }
        }
    }
}
