using Automation.Core.Customers;
using Automation.Functions.Hosting;
using Automation.Functions.Journeys;
using Automation.Functions.Storage;

namespace Automation.Functions.Customers;

/// <summary>
/// <c>GET /api/customers/{storeId}/{customerId}/journeys</c>: every journey instance of one
/// customer (the active run of each journey, or the last one), with its history: where it is,
/// what it waits for, and why each step acted or did not.
/// </summary>
public static class CustomerJourneysEndpoint
{
    public static async Task<IResult> HandleAsync(string storeId, string customerId, StoreDirectory stores, CustomerTable customers, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        if (CustomerKey.FromExternalId(customerId) is not { } key)
            return Problems.Invalid("customerId", "Customer ids are 1-100 letters, digits or ._@+- characters.");
        var state = await customers.ReadStateAsync(CustomerKey.Partition(storeId, key), ct);
        if (state.Profile is not { RedactedAt: null })
            return Problems.Status(StatusCodes.Status404NotFound, "Unknown customer", $"No customer '{customerId}' in store '{storeId}'.");
        return Results.Ok(state.Journeys.Instances.Values.Select(InstanceView.Of));
    }
}
