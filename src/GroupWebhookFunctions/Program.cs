using GroupWebhookFunctions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddGroupWebhooks(builder.Configuration);
builder.Build().Run();
