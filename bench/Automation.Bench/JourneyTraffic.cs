using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Automation.Bench;

/// <summary>
/// What one batch of customers sends while their journeys run: a first order (Shopify
/// <c>orders/create</c>), its delivery (<c>fulfillment_events/create</c>, which names only the
/// order), a complaint closed (the events API), and later a second order. Built before the
/// clock starts; customers <c>customerOffset … customerOffset + count - 1</c>, their first orders
/// <c>orderOffset + i</c> and second orders <c>orderOffset + count + i</c>.
/// </summary>
internal sealed class JourneyTraffic(BenchHost host, int count, int customerOffset, int orderOffset)
{
    public int Count => count;

    /// <summary>The customers' partition keys in the <c>customers</c> table.</summary>
    public IReadOnlySet<string> Partitions { get; } = Enumerable.Range(0, count)
        .Select(i => $"{BenchHost.Store}|id:{ShopifyDeliveries.CustomerId(customerOffset + i)}").ToHashSet(StringComparer.Ordinal);

    /// <summary>One order per customer, the last placed a second before <paramref name="now"/>.</summary>
    public Delivery[] Orders(DateTimeOffset now, bool second) => ShopifyDeliveries.Build(count, count,
        orderOffset: orderOffset + (second ? count : 0), customerOffset: customerOffset, firstAt: now.AddSeconds(-count), spacing: TimeSpan.FromSeconds(1));

    /// <summary>Each customer's first order delivered at <paramref name="at"/>.</summary>
    public Delivery[] Deliveries(DateTimeOffset at) => [.. Enumerable.Range(0, count).Select(i => ShopifyDeliveries.Delivered(orderOffset + i, at))];

    /// <summary><c>complaint.closed</c> for one customer through <c>POST /api/events/{store}</c>.</summary>
    public HttpRequestMessage ComplaintClosed(int i, DateTimeOffset at)
    {
        var body = new JsonObject
        {
            ["type"] = "complaint.closed",
            ["customerId"] = ShopifyDeliveries.CustomerId(customerOffset + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["id"] = $"complaint-closed-{customerOffset + i}",
            ["occurredAt"] = at,
            ["data"] = new JsonObject { ["complaintId"] = $"c-{customerOffset + i}" },
        };
        var r = new HttpRequestMessage(HttpMethod.Post, $"/api/events/{BenchHost.Store}") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString())) };
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        r.Headers.Add("X-Api-Key", host.ApiKey);
        return r;
    }
}
