using GroupWebhookFunctions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = FunctionsApplication.CreateBuilder(args);
// The worker's own "An exception was thrown by the invocation" repeats, per attempt, what the host records of a failed
// invocation; the app logs its failures itself, once per episode (README, "Logs").
builder.Logging.AddFilter("Microsoft.Azure.Functions.Worker.FunctionsApplication", LogLevel.None);
builder.Services.AddGroupWebhooks(builder.Configuration);
builder.Build().Run();
