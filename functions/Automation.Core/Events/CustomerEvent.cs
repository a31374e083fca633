using System.Text.Json.Nodes;

namespace Automation.Core.Events;

/// <summary>
/// One canonical event about one customer of one store. Every source (Shopify, WooCommerce,
/// the events API) is normalised into this shape before it is queued.
/// </summary>
/// <param name="Id">Unique per store and stable across redeliveries of the same source event.</param>
/// <param name="CustomerKey">The customer's key within the store (see <see cref="Customers.CustomerKey"/>).</param>
/// <param name="Source">Where it came from: <c>shopify</c>, <c>woocommerce</c>, <c>api</c>.</param>
public sealed record CustomerEvent(
    string Id,
    string StoreId,
    string CustomerKey,
    string Type,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string Source,
    CustomerFacts? Customer = null,
    OrderFacts? Order = null,
    JsonObject? Data = null)
{
    /// <summary>Version of this persisted message shape.</summary>
    public int SchemaVersion { get; init; } = 1;
}

/// <summary>What an event tells about the customer. Null members are unknown, not cleared.</summary>
public sealed record CustomerFacts(
    string? ExternalId = null,
    string? Email = null,
    string? FirstName = null,
    string? LastName = null,
    string? Locale = null,
    string? Country = null,
    string? TimeZone = null,
    ConsentFacts? Consent = null);

/// <summary>Marketing consent as the source reported it.</summary>
/// <param name="State"><c>subscribed</c>, <c>not_subscribed</c>, <c>unsubscribed</c>, <c>pending</c>, …</param>
/// <param name="Source">Where it was given or withdrawn, e.g. <c>shopify:customers/update</c>.</param>
/// <param name="At">When the source says it changed; the event time when it does not say.</param>
public sealed record ConsentFacts(string State, string Source, DateTimeOffset At);

/// <summary>What an event tells about one order. Amounts are in the store currency when known.</summary>
public sealed record OrderFacts(
    string OrderId,
    decimal? Total = null,
    string? Currency = null,
    IReadOnlyList<string>? DiscountCodes = null,
    string? RefundId = null,
    decimal? RefundAmount = null,
    IReadOnlyList<OrderLine>? Lines = null);

/// <summary>One line of an order; no personal data.</summary>
public sealed record OrderLine(string? ProductId, string? Title, string? Category, int Quantity, decimal? Price);
