using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Relaying;

/// <summary>
/// What the receiver asks of the relay, once a callback is authenticated and judged: whether the handler answers it
/// (before-events) or must get it later (after-events), and the delivery's queue message, which the receiver writes
/// beside the event before it answers OK. Off, it asks for nothing and the receiver behaves as without it.
/// </summary>
public sealed class CallbackRelay(RelayOptions options, BeforeEventForwarder? forwarder, IEventSink deliveries)
{
    public bool AnswersBefore(string command) => options.IsOn && forwarder is not null && RelayOptions.IsBefore(command);

    public bool Delivers(string command) => options.Delivers(command);

    public Task<CallbackReply> AnswerBeforeAsync(CallbackQuery query, string command, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        forwarder!.AnswerAsync(query, command, body, cancellationToken);

    /// <summary>Returns once the delivery is durably queued (in a blob as well when it is too big for a queue message).</summary>
    public async Task EnqueueAsync(CallbackQuery query, string command, ReadOnlyMemory<byte> body, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        using var message = DeliveryMessage.Write(RelayQuery.Of(query), command, body.Span, receivedAt);
        await deliveries.EnqueueAsync(message.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}
