using Microsoft.Azure.Functions.Worker;

namespace GroupWebhookFunctions.Functions;

internal static class QueueBinding
{
    /// <summary>The queue trigger's binding data says how often the message was handed out; 1 where it does not.</summary>
    public static int DequeueCount(FunctionContext? context) =>
        context?.BindingContext?.BindingData is { } data && data.TryGetValue("DequeueCount", out var value)
            && int.TryParse(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), out var count) ? count : 1;
}
