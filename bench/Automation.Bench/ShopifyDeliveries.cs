using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Automation.Bench;

/// <summary>One signed delivery (orders/create unless named), built before the clock starts.</summary>
internal sealed record Delivery(byte[] Body, string Signature, string EventId, string Topic = "orders/create");

/// <summary>
/// Shopify orders/create deliveries modelled on a real payload (orders-create.json, a copy of the
/// core tests' fixture, about 4 KB): every delivery is a new order, spread round-robin over
/// <c>customers</c> customers, so delivery i and i + customers are the same customer.
/// </summary>
internal static class ShopifyDeliveries
{
    private const long OrderIdBase = 5961433645200000000;   // over 2^53, as Shopify's are
    private const long CustomerIdBase = 7340032000000000000;
    private static readonly DateTimeOffset FirstOrderAt = new(2026, 1, 5, 10, 0, 0, TimeSpan.FromHours(-5));

    /// <param name="orderOffset">Orders already sent, so that every order id and time is new.</param>
    /// <param name="customerOffset">Keeps warm-up customers apart from measured ones.</param>
    /// <param name="firstAt">The time of the first order (default 2026-01-05 10:00 -05:00); each next one is <paramref name="spacing"/> later (default a minute).</param>
    public static Delivery[] Build(int count, int customers, int orderOffset, int customerOffset = 0, DateTimeOffset? firstAt = null, TimeSpan? spacing = null)
    {
        var template = JsonNode.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "orders-create.json")))!.AsObject();
        var key = Encoding.UTF8.GetBytes(BenchHost.Secret);
        var deliveries = new Delivery[count];
        for (var i = 0; i < count; i++)
        {
            var n = orderOffset + i;
            var c = customerOffset + i % customers;
            var at = firstAt is { } first ? first + i * (spacing ?? TimeSpan.FromMinutes(1)) : FirstOrderAt.AddMinutes(n);
            var body = Encoding.UTF8.GetBytes(Order(template, n, c, at).ToJsonString());
            deliveries[i] = new Delivery(body, Convert.ToBase64String(HMACSHA256.HashData(key, body)), Guid.NewGuid().ToString());
        }
        return deliveries;
    }

    /// <summary>The order id of order <paramref name="n"/>, and the customer id of customer <paramref name="c"/>.</summary>
    public static long OrderId(int n) => OrderIdBase + n;

    public static long CustomerId(int c) => CustomerIdBase + c;

    /// <summary>A Shopify <c>fulfillment_events/create</c> delivery: order <paramref name="n"/> delivered at <paramref name="at"/>.</summary>
    public static Delivery Delivered(int n, DateTimeOffset at)
    {
        var time = Time(at);
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["id"] = 944956391000000000 + n,
            ["fulfillment_id"] = 255858046000000000 + n,
            ["status"] = "delivered",
            ["message"] = "Delivered to the front porch",
            ["happened_at"] = time,
            ["created_at"] = time,
            ["updated_at"] = time,
            ["order_id"] = OrderId(n),
            ["shop_id"] = 548380009,
        }.ToJsonString());
        return new Delivery(body, Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(BenchHost.Secret), body)),
            Guid.NewGuid().ToString(), "fulfillment_events/create");
    }

    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static JsonObject Order(JsonObject template, int n, int c, DateTimeOffset orderedAt)
    {
        var o = template.DeepClone().AsObject();
        var orderId = OrderId(n);
        var customerId = CustomerId(c);
        var at = Time(orderedAt);
        var total = (20m + n % 400).ToString("0.00", CultureInfo.InvariantCulture);
        var email = $"customer{c}@example.com";

        o["id"] = orderId;
        o["admin_graphql_api_id"] = $"gid://shopify/Order/{orderId}";
        o["name"] = $"#{1000 + n}";
        o["number"] = n;
        o["order_number"] = 1000 + n;
        o["created_at"] = at;
        o["processed_at"] = at;
        o["updated_at"] = at;
        o["total_price"] = total;
        o["current_total_price"] = total;
        o["email"] = email;
        o["contact_email"] = email;

        var customer = o["customer"]!.AsObject();
        customer["id"] = customerId;
        customer["admin_graphql_api_id"] = $"gid://shopify/Customer/{customerId}";
        customer["email"] = $"Customer{c}@Example.com";
        customer["first_name"] = $"Ann{c}";
        customer["default_address"]!["customer_id"] = customerId;
        return o;
    }

    public static HttpRequestMessage Request(Delivery d)
    {
        var r = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/shopify/{BenchHost.Store}") { Content = new ByteArrayContent(d.Body) };
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        r.Headers.Add("X-Shopify-Topic", d.Topic);
        r.Headers.Add("X-Shopify-Hmac-Sha256", d.Signature);
        r.Headers.Add("X-Shopify-Shop-Domain", BenchHost.ShopDomain);
        r.Headers.Add("X-Shopify-API-Version", "2025-10");
        r.Headers.Add("X-Shopify-Webhook-Id", d.EventId);
        r.Headers.Add("X-Shopify-Event-Id", d.EventId);
        return r;
    }
}
