using System.Globalization;
using System.Text.Json;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Functions.Hosting;
using Automation.Functions.Queues;
using Automation.Functions.Storage;

namespace Automation.Functions.Suppression;

/// <summary>
/// The admin's view of a store's suppression list (<c>X-Api-Key</c>): list it, block an address (the
/// store's bad actors), lift a suppression. Each change is also told to the customers the email index
/// knows for the address, so their profiles and journeys see it.
/// </summary>
public static class SuppressionEndpoints
{
    public const string AdminSource = "admin";

    public static async Task<IResult> ListAsync(string storeId, string? reason, string? after, string? max, StoreDirectory stores,
        SuppressionList list, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        if (reason is not null && !SuppressionReasons.All.Contains(reason))
            return Problems.Invalid("reason", $"Unknown reason '{reason}'; one of {string.Join(", ", SuppressionReasons.All.Order())}.");
        if (after is not null && (after.Length != 32 || !after.All(char.IsAsciiHexDigitLower)))
            return Problems.Invalid("after", "Pass the 'next' value of the previous page.");
        var size = 100;
        if (max is not null && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 1000))
            return Problems.Invalid("max", "A whole number from 1 to 1000.");
        var (entries, next) = await list.ListAsync(storeId, reason, size, after, ct);
        return Results.Ok(new
        {
            items = entries.Select(e => new { email = e.Email, reason = e.Reason, source = e.Source, at = e.At, optedOut = e.OptedOut.Order(StringComparer.Ordinal) }),
            next,
        });
    }

    public static async Task<IResult> AddAsync(string storeId, HttpRequest request, StoreDirectory stores, RequestBody reader, SuppressionList list,
        EmailIndex emails, CustomerTable customers, IEventQueue queue, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        var (fields, problem) = await ReadAsync(request, reader, ["email", "reason"], ct);
        if (problem is not null) return problem;
        var reason = fields!.GetValueOrDefault("reason") ?? SuppressionReasons.Blocked;
        if (!SuppressionReasons.All.Contains(reason))
            return Problems.Invalid("reason", $"Unknown reason '{reason}'; one of {string.Join(", ", SuppressionReasons.All.Order())}.");
        var email = fields!["email"]!;
        var now = time.GetUtcNow();
        await list.SuppressAsync(storeId, email, reason, AdminSource, now, ct);
        var told = await TellCustomersAsync(storeId, email, emails, customers, queue, key => reason == SuppressionReasons.Unsubscribed
            ? SuppressionEvents.Unsubscribed(SuppressionEvents.Id("admin", storeId, key, reason, now.UtcTicks.ToString(CultureInfo.InvariantCulture)),
                storeId, key, SuppressionEvents.ScopeAll, null, AdminSource, now, now)
            : SuppressionEvents.Suppressed(SuppressionEvents.Id("admin", storeId, key, reason, now.UtcTicks.ToString(CultureInfo.InvariantCulture)),
                storeId, key, reason, AdminSource, now, now), ct);
        Log.SuppressionChanged(logs.CreateLogger(typeof(SuppressionEndpoints)), storeId, "suppress", reason, AdminSource, told);
        var entry = await list.GetAsync(storeId, email, ct);
        return Results.Ok(new { email = entry?.Email, reason = entry?.Reason, source = entry?.Source, at = entry?.At, customers = told });
    }

    public static async Task<IResult> LiftAsync(string storeId, HttpRequest request, StoreDirectory stores, RequestBody reader, SuppressionList list,
        EmailIndex emails, CustomerTable customers, IEventQueue queue, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        var (fields, problem) = await ReadAsync(request, reader, ["email"], ct);
        if (problem is not null) return problem;
        var email = fields!["email"]!;
        var now = time.GetUtcNow();
        var before = await list.GetAsync(storeId, email, ct);
        if (before?.Suppressed != true) return Results.Ok(new { email, reason = (string?)null, lifted = false, customers = 0 });
        await list.LiftAsync(storeId, email, ct);
        var told = await TellCustomersAsync(storeId, email, emails, customers, queue, key =>
            SuppressionEvents.Unsuppressed(SuppressionEvents.Id("admin-lift", storeId, key, now.UtcTicks.ToString(CultureInfo.InvariantCulture)),
                storeId, key, AdminSource, now), ct);
        Log.SuppressionChanged(logs.CreateLogger(typeof(SuppressionEndpoints)), storeId, "lift", before.Reason!, AdminSource, told);
        return Results.Ok(new { email = before.Email, reason = (string?)null, lifted = true, was = before.Reason, customers = told });
    }

    /// <summary>Publishes the event to every customer whose profile still has the address (the index may be stale).</summary>
    private static async Task<int> TellCustomersAsync(string storeId, string email, EmailIndex emails, CustomerTable customers, IEventQueue queue,
        Func<string, CustomerEvent> make, CancellationToken ct)
    {
        var normalised = EmailAddress.Normalise(email)!;
        var events = new List<CustomerEvent>();
        // Guests are keyed by the address itself and need no index entry.
        var keys = (await emails.FindAsync(storeId, normalised, ct)).Append(CustomerKey.FromEmail(normalised)!).Distinct(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var profile = (await customers.ReadStateAsync(CustomerKey.Partition(storeId, key), ct)).Profile;
            if (profile?.RedactedAt is null && EmailAddress.Normalise(profile?.Email) == normalised) events.Add(make(key));
        }
        if (events.Count > 0) await queue.PublishAsync(events, ct);
        return events.Count;
    }

    /// <summary>As the events API says it: where the text stops being JSON (line and byte from 1) and why.</summary>
    private static string NotJson(JsonException ex)
    {
        var (reason, line, position) = JsonSyntax.Describe(ex);
        return string.Create(CultureInfo.InvariantCulture, $"The body is not valid JSON at line {line}, byte {position}: {reason}");
    }

    /// <summary>A JSON object of string fields: every one of <paramref name="allowed"/> but <c>reason</c> required, nothing else.</summary>
    private static async Task<(Dictionary<string, string?>? Fields, IResult? Problem)> ReadAsync(HttpRequest request, RequestBody reader, string[] allowed, CancellationToken ct)
    {
        var (body, tooLarge) = await reader.ReadAsync(request, ct);
        if (tooLarge is not null) return (null, tooLarge);
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(body!);
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (null, Problems.Invalid("$", NotJson(ex)));
        }
        if (root.ValueKind != JsonValueKind.Object)
            return (null, Problems.Invalid("$", "The body must be a JSON object such as {\"email\": \"someone@example.com\"}."));
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        var errors = new List<(string, string)>();
        foreach (var p in root.EnumerateObject())
        {
            if (!JsonSyntax.TryGetName(p, out var name)) errors.Add(("$", "A field name is not valid text (a lone surrogate escape)."));
            else if (!allowed.Contains(name)) errors.Add((name, $"Not a field here; use {string.Join(", ", allowed)}."));
            else if (p.Value.ValueKind != JsonValueKind.String) errors.Add((name, "Must be a string."));
            else if (JsonSyntax.TryGetString(p.Value) is { } text) fields[name] = text;
            else errors.Add((name, "Not valid text (a lone surrogate escape or bytes that are not UTF-8)."));
        }
        if (errors.Count == 0 && EmailAddress.Normalise(fields.GetValueOrDefault("email")) is null)
            errors.Add(("email", fields.ContainsKey("email") ? "Not an email address." : "Required."));
        return errors.Count > 0 ? (null, Problems.Invalid(errors)) : (fields, null);
    }
}
