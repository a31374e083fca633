using System.Globalization;
using System.Text;
using System.Text.Json;
using Automation.Core.Events;
using Automation.Functions.Events;
using Automation.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Queues;

/// <summary>
/// The <c>ProcessEvents</c> function (<c>ProcessEvents/function.json</c>: a <c>serviceBusTrigger</c> on the
/// session-enabled events queue, <c>"dataType": "binary"</c>) as the Functions host calls a custom handler:
/// <c>POST /ProcessEvents</c> with <c>{"Data": {"message": base64}, "Metadata": {…}}</c>, metadata strings and
/// numbers possibly JSON-encoded a second time. A 2xx completes the message; an applied or duplicate event
/// answers 200; a failure that may pass answers 500 so the host abandons it and Service Bus redelivers it; a
/// message that can never succeed (not an event, an unknown store) or that failed its last allowed delivery
/// is parked with its reason (<c>GET /api/parked</c>) and answered 200, so it does not loop.
/// Service Bus redelivers an abandoned message at once, so the handler waits before abandoning (the
/// session lock is renewed meanwhile, and the customer's later events wait behind it, in order):
/// <c>Automation__RetryBaseDelaySeconds</c> doubled per delivery, at most a minute. Five deliveries then
/// span about 75 seconds, enough for a storage blip or a late event to pass before the message is parked.
/// </summary>
public static class ServiceBusTriggerEndpoint
{
    public const string FunctionName = "ProcessEvents";
    public const string BindingName = "message";
    public const string QueueLabel = "servicebus";

    public static readonly TimeSpan MaxRetryWait = TimeSpan.FromMinutes(1);

    public static TimeSpan RetryWait(long deliveryCount, double baseSeconds) =>
        TimeSpan.FromSeconds(Math.Min(baseSeconds * Math.Pow(2, Math.Min(deliveryCount, 30) - 1), MaxRetryWait.TotalSeconds));

    public static async Task<IResult> HandleAsync(HttpRequest request, EventProcessor processor, ParkedMessages parked,
        IOptions<AutomationOptions> options, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger(typeof(ServiceBusTriggerEndpoint));
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var invocation = Invocation.Read(buffer.ToArray());
        if (invocation.Problem is { } unreadable)
        {
            // The host's own payload is not what it documents: nothing here can succeed on redelivery.
            await parked.ParkAsync(QueueLabel, invocation.MessageId ?? "unknown", unreadable, invocation.DeliveryCount, new BinaryData(buffer.ToArray()), ct);
            Log.MessageParked(log, invocation.MessageId ?? "unknown", invocation.DeliveryCount, unreadable);
            return Answer(StatusCodes.Status200OK, $"parked: {unreadable}");
        }

        var messageId = invocation.MessageId ?? "unknown";
        string failure;
        try
        {
            var outcome = await processor.ProcessAsync(EventJson.Deserialize(invocation.Body!), ct);
            return Answer(StatusCodes.Status200OK, outcome == ProcessOutcome.Duplicate ? "duplicate: applied before" : "applied");
        }
        catch (JsonException ex)
        {
            return await ParkAsync($"not a canonical event: {ex.Message}");
        }
        catch (PermanentEventFailure ex)
        {
            return await ParkAsync(ex.Message);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            failure = $"{ex.GetType().Name}: {ex.Message}";
        }

        if (invocation.DeliveryCount >= options.Value.MaxDeliveryCount) return await ParkAsync(failure);
        Log.MessageFailed(log, messageId, invocation.DeliveryCount, failure);
        await Task.Delay(RetryWait(invocation.DeliveryCount, options.Value.RetryBaseDelaySeconds), time, ct);
        return Answer(StatusCodes.Status500InternalServerError, $"delivery {invocation.DeliveryCount} failed, to be retried: {failure}");

        async Task<IResult> ParkAsync(string reason)
        {
            await parked.ParkAsync(QueueLabel, messageId, reason, invocation.DeliveryCount, new BinaryData(invocation.Body!), ct);
            Log.MessageParked(log, messageId, invocation.DeliveryCount, reason);
            return Answer(StatusCodes.Status200OK, $"parked: {reason}");
        }
    }

    private static IResult Answer(int status, string line) => HostAnswer.With(status, line);

    /// <summary>What the host sent: the message body, its id and its delivery count, or why it cannot be read.</summary>
    internal sealed record Invocation(byte[]? Body, string? MessageId, long DeliveryCount, string? Problem)
    {
        public static Invocation Read(byte[] payload)
        {
            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(payload);
                root = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                return new(null, null, 1, $"the invocation is not JSON: {ex.Message}");
            }
            if (root.ValueKind != JsonValueKind.Object) return new(null, null, 1, "the invocation is not a JSON object");
            var metadata = root.TryGetProperty("Metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
            var messageId = Text(metadata, "MessageId");
            var deliveries = long.TryParse(Text(metadata, "DeliveryCount"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
            if (!root.TryGetProperty("Data", out var data) || data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(BindingName, out var message))
                return new(null, messageId, deliveries, $"the invocation has no Data.{BindingName}");
            var body = message.ValueKind switch
            {
                JsonValueKind.String => Bytes(message),
                JsonValueKind.Object => Encoding.UTF8.GetBytes(message.GetRawText()),
                _ => null,
            };
            return body is null
                ? new(null, messageId, deliveries, $"Data.{BindingName} is neither base64 nor a JSON message")
                : new(body, messageId, deliveries, null);
        }

        /// <summary><c>"dataType": "binary"</c> gives base64; a host configured otherwise gives the text itself.</summary>
        private static byte[]? Bytes(JsonElement message)
        {
            if (JsonSyntax.TryGetString(message) is not { } text) return null;
            var buffer = new byte[text.Length];
            return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : Encoding.UTF8.GetBytes(text);
        }

        /// <summary>A metadata value as text, unwrapping the second JSON encoding the host may add (<c>"\"abc\""</c>, <c>"\"3\""</c>).</summary>
        private static string? Text(JsonElement metadata, string name)
        {
            if (metadata.ValueKind != JsonValueKind.Object || !metadata.TryGetProperty(name, out var value)) return null;
            var text = value.ValueKind switch
            {
                JsonValueKind.String => JsonSyntax.TryGetString(value),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            };
            for (var unwrap = 0; unwrap < 2 && text is { Length: >= 2 } && text[0] == '"' && text[^1] == '"'; unwrap++)
            {
                try
                {
                    text = JsonSerializer.Deserialize<string>(text);
                }
                catch (JsonException)
                {
                    break;
                }
            }
            return text;
        }
    }
}
