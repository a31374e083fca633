using Automation.Core.Events;
using System.Globalization;
using System.Text.Json;

namespace Automation.Functions.Webhooks.SendGrid;

/// <summary>
/// One event of SendGrid's webhook, with the <c>custom_args</c> our sender put on the message (SendGrid
/// returns them as top-level keys): <c>send_id</c>, <c>store</c>, <c>customer</c>, <c>journey</c>,
/// <c>step</c>, <c>template</c>. Without <c>store</c> and <c>customer</c> it is not ours.
/// </summary>
public sealed record SendGridEvent(string Id, string Type, string? BounceType, string? Email, DateTimeOffset? At,
    string? SendId, string? Store, string? Customer, string? Journey, string? Step, string? Template)
{
    public bool IsOurs => Store is { Length: > 0 } && Customer is { Length: > 0 and <= 200 };

    /// <summary>A bounce of type <c>blocked</c> is a temporary refusal by the receiving server: counted, not suppressed.</summary>
    public bool IsTemporaryBlock => Type == "bounce" && BounceType == "blocked";

    public static SendGridEvent From(JsonElement e) => new(
        Str(e, "sg_event_id") ?? Digest(e.GetRawText()),
        Str(e, "event") ?? "",
        Str(e, "type"),
        Str(e, "email"),
        e.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt64(out var secs) && secs is > 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeSeconds(secs) : null,
        Str(e, "send_id"), Str(e, "store"), Str(e, "customer"), Str(e, "journey"), Str(e, "step"), Str(e, "template"));

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => JsonSyntax.TryGetString(v) is { Length: > 0 } s ? s : null,
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    // SendGrid always sends sg_event_id; without one, the event's own bytes identify a redelivery.
    private static string Digest(string raw) =>
        "raw-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw)).AsSpan(0, 20));

    public string Day(DateTimeOffset fallback) => (At ?? fallback).UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
