using Automation.Core.Customers;
using Automation.Functions.Hosting;

namespace Automation.Functions.Email;

/// <summary>
/// <c>GET /api/outbox?storeId=…&amp;customerId=…&amp;max=…</c> (behind <c>X-Api-Key</c>): the emails captured
/// in place of SendGrid, newest first, with their headers, rendered subject, HTML and text.
/// </summary>
public static class OutboxEndpoint
{
    public const int DefaultMax = 50, MaxMax = 1000;

    public static async Task<IResult> ListAsync(HttpRequest request, IEmailSender sender, CapturedEmails captured, StoreDirectory stores, CancellationToken ct)
    {
        var query = request.Query;
        var unknown = query.Keys.FirstOrDefault(k => k is not ("storeId" or "customerId" or "max"));
        if (unknown is not null) return Problems.Invalid(unknown, "is not a parameter here; use storeId, customerId and max.");
        var storeId = query["storeId"].ToString();
        if (storeId.Length == 0) return Problems.Invalid("storeId", "Give the store whose captured emails to list: ?storeId=….");
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        string? customerKey = null;
        if (query.TryGetValue("customerId", out var customer))
        {
            var text = customer.ToString();
            customerKey = text.Contains(':', StringComparison.Ordinal) && text.Length <= 200 ? text : CustomerKey.FromExternalId(text);
            if (customerKey is null) return Problems.Invalid("customerId", "Customer ids are 1-100 letters, digits or ._@+- characters (or a customer key such as id:42).");
        }
        var max = DefaultMax;
        if (query.TryGetValue("max", out var maxText) && (!int.TryParse(maxText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out max) || max is < 1 or > MaxMax))
            return Problems.Invalid("max", $"A whole number from 1 to {MaxMax}.");
        if (sender is not CapturingEmailSender)
            return Problems.Status(StatusCodes.Status404NotFound, "No captured emails", "Emails go to SendGrid in this configuration (Automation__SendGrid__ApiKey is set).");
        return Results.Ok(await captured.ListAsync(storeId, customerKey, max, ct));
    }
}
