using Automation.Core.Customers;
using Automation.Core.Profiles;
using Automation.Functions.Hosting;
using System.Text.Json;
using Automation.Functions.Storage;

namespace Automation.Functions.Customers;

/// <summary>
/// <c>GET /api/customers/{storeId}/{customerId}</c>, and <c>POST /api/customers/{storeId}/lookup</c> with
/// <c>{"email": "…"}</c>: the address travels in the body, never in a URL, which request logs and
/// Application Insights record.
/// </summary>
public static class CustomerEndpoints
{
    private const int MaxLookupBytes = 4 * 1024;

    public static async Task<IResult> ByIdAsync(string storeId, string customerId, StoreDirectory stores, CustomerTable customers, TimeProvider time, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        if (CustomerKey.FromExternalId(customerId) is not { } key)
            return Problems.Invalid("customerId", "Customer ids are 1-100 letters, digits or ._@+- characters.");
        var (profile, _) = await customers.ReadProfileAsync(CustomerKey.Partition(storeId, key), ct);
        return View(storeId, profile, stores, time) ?? NotFound($"No customer '{customerId}' in store '{storeId}'.");
    }

    public static async Task<IResult> LookupAsync(string storeId, HttpRequest request, RequestBody reader, StoreDirectory stores, CustomerTable customers, EmailIndex index, TimeProvider time, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        var (body, tooLarge) = await reader.ReadAsync(request, MaxLookupBytes, ct);
        if (tooLarge is not null) return tooLarge;
        var (doc, malformed) = Webhooks.WebhookIngestion.Parse(body!);
        if (malformed is not null) return malformed;
        string? email;
        using (doc)
        {
            if (doc!.RootElement.EnumerateObject().FirstOrDefault(p => p.Name != "email") is { Value.ValueKind: not JsonValueKind.Undefined } unknown)
                return Problems.Invalid(unknown.Name, "Unknown field; the lookup takes only \"email\".");
            email = doc.RootElement.TryGetProperty("email", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        }
        if (string.IsNullOrWhiteSpace(email)) return Problems.Invalid("email", "Give {\"email\": \"…\"}, or use GET /api/customers/{storeId}/{customerId}.");
        if (EmailAddress.Normalise(email) is not { } normalised) return Problems.Invalid("email", "This is not an email address.");

        // The guest key needs no index; customers with platform ids are found through it.
        var keys = (await index.FindAsync(storeId, normalised, ct)).Append(CustomerKey.FromEmail(normalised)!).Distinct();
        var matches = new List<CustomerProfile>();
        foreach (var key in keys)
        {
            var (p, _) = await customers.ReadProfileAsync(CustomerKey.Partition(storeId, key), ct);
            if (p is { RedactedAt: null } && EmailAddress.Normalise(p.Email) == normalised) matches.Add(p);
        }
        // A guest who later made an account has two profiles; the account is the one to show.
        var best = matches.OrderByDescending(p => p.ExternalId is not null).ThenByDescending(p => p.LastActivityAt).FirstOrDefault();
        return View(storeId, best, stores, time) ?? NotFound($"No customer with that email in store '{storeId}'.");
    }

    private static IResult? View(string storeId, CustomerProfile? p, StoreDirectory stores, TimeProvider time) =>
        p is null || p.RedactedAt is not null ? null : Results.Ok(CustomerView.Of(p, stores.Settings(storeId), time.GetUtcNow()));

    private static IResult NotFound(string detail) => Problems.Status(StatusCodes.Status404NotFound, "Unknown customer", detail);
}
