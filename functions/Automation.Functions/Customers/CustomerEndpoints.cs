using Automation.Core.Customers;
using Automation.Core.Profiles;
using Automation.Functions.Hosting;
using Automation.Functions.Storage;

namespace Automation.Functions.Customers;

/// <summary><c>GET /api/customers/{storeId}/{customerId}</c> and <c>GET /api/customers/{storeId}?email=…</c>.</summary>
public static class CustomerEndpoints
{
    public static async Task<IResult> ByIdAsync(string storeId, string customerId, StoreDirectory stores, CustomerTable customers, TimeProvider time, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        if (CustomerKey.FromExternalId(customerId) is not { } key)
            return Problems.Invalid("customerId", "Customer ids are 1-100 letters, digits or ._@+- characters.");
        var (profile, _) = await customers.ReadProfileAsync(CustomerKey.Partition(storeId, key), ct);
        return View(storeId, profile, stores, time) ?? NotFound($"No customer '{customerId}' in store '{storeId}'.");
    }

    public static async Task<IResult> ByEmailAsync(string storeId, string? email, StoreDirectory stores, CustomerTable customers, EmailIndex index, TimeProvider time, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        if (string.IsNullOrWhiteSpace(email)) return Problems.Invalid("email", "Give ?email=… or use /api/customers/{storeId}/{customerId}.");
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
