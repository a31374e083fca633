using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Automation.Functions.Tests.Infrastructure;
using static Automation.Functions.Tests.Http.HttpKit;

namespace Automation.Functions.Tests.Http;

/// <summary>
/// The bad-input matrix: each request gets its 4xx problem naming what was wrong, no exception
/// text, and leaves storage and the queue untouched.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private const string CustomerId = "7340032000000000003";

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await _app.DisposeAsync();

    private sealed record Case(Func<TestApp, HttpRequestMessage> Request, HttpStatusCode Status, params string[] Mentions);

    private static readonly byte[] Order = Fixture("shopify", "orders-create.json");

    /// <summary>A JSON object of exactly <paramref name="size"/> bytes.</summary>
    private static byte[] Padded(string json, int size)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return [.. body, .. Enumerable.Repeat((byte)' ', size - body.Length)];
    }

    private static HttpRequestMessage Without(HttpRequestMessage r, string header)
    {
        r.Headers.Remove(header);
        return r;
    }

    private static HttpRequestMessage With(HttpRequestMessage r, string header, string value)
    {
        r.Headers.Remove(header);
        r.Headers.Add(header, value);
        return r;
    }

    private static HttpRequestMessage Chunked(HttpRequestMessage r, byte[] body)
    {
        r.Content = new ChunkedContent(body);
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return r;
    }

    private static HttpRequestMessage Signed(TestApp app, byte[] body) => app.Shopify("orders/create", body);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["shopify_bad_signature"] = new(a => a.Shopify("orders/create", Order, signature: TestApp.Sign("wrong-secret", Order)), HttpStatusCode.Unauthorized, "X-Shopify-Hmac-Sha256", "does not match"),
        ["shopify_signature_of_other_bytes"] = new(a => a.Shopify("orders/create", Order, signature: TestApp.Sign(TestApp.ShopifySecret, [.. Order, (byte)' '])), HttpStatusCode.Unauthorized, "does not match"),
        ["shopify_signature_not_base64"] = new(a => a.Shopify("orders/create", Order, signature: "%%%not-base64%%%"), HttpStatusCode.Unauthorized, "X-Shopify-Hmac-Sha256"),
        ["shopify_missing_signature"] = new(a => Without(a.Shopify("orders/create", Order), "X-Shopify-Hmac-Sha256"), HttpStatusCode.Unauthorized, "X-Shopify-Hmac-Sha256", "missing"),
        ["shopify_missing_topic"] = new(a => Without(a.Shopify("orders/create", Order), "X-Shopify-Topic"), HttpStatusCode.BadRequest, "X-Shopify-Topic"),
        ["shopify_missing_shop_domain"] = new(a => Without(a.Shopify("orders/create", Order), "X-Shopify-Shop-Domain"), HttpStatusCode.BadRequest, "X-Shopify-Shop-Domain"),
        ["shopify_wrong_shop_domain"] = new(a => With(a.Shopify("orders/create", Order), "X-Shopify-Shop-Domain", "other-shop.myshopify.com"), HttpStatusCode.Forbidden, "other-shop.myshopify.com", "example-shop.myshopify.com"),
        ["shopify_malformed_json"] = new(a => Signed(a, Order[..^20]), HttpStatusCode.BadRequest, "Malformed JSON"),
        ["shopify_empty_body"] = new(a => Signed(a, []), HttpStatusCode.BadRequest, "empty"),
        ["shopify_json_array"] = new(a => Signed(a, [.. "["u8, .. Order, .. "]"u8]), HttpStatusCode.BadRequest, "JSON object"),
        ["shopify_json_string"] = new(a => Signed(a, "\"orders\""u8.ToArray()), HttpStatusCode.BadRequest, "JSON object"),
        ["shopify_nested_too_deep"] = new(a => Signed(a, Encoding.UTF8.GetBytes("{\"a\":" + new string('[', 200) + new string(']', 200) + "}")), HttpStatusCode.BadRequest, "JSON"),
        ["shopify_order_id_is_an_object"] = new(a => Signed(a, Fixture("shopify", "orders-create.json", o => o["id"] = new System.Text.Json.Nodes.JsonObject { ["x"] = 1 })), HttpStatusCode.BadRequest, "id"),
        ["shopify_order_without_buyer"] = new(a => Signed(a, Fixture("shopify", "orders-create.json", o => { o["customer"] = null; o["email"] = null; o["contact_email"] = null; })), HttpStatusCode.BadRequest, "customer"),
        ["shopify_over_1_MiB"] = new(a => Signed(a, Padded("{\"id\":1}", MiB + 1)), HttpStatusCode.RequestEntityTooLarge, "1024 KiB"),
        ["shopify_over_1_MiB_chunked"] = new(a => Chunked(Signed(a, Padded("{\"id\":1}", MiB + 1)), Padded("{\"id\":1}", MiB + 1)), HttpStatusCode.RequestEntityTooLarge, "1024 KiB"),
        ["shopify_8_MiB_chunked"] = new(a => Chunked(Signed(a, []), Padded("{\"id\":1}", 8 * MiB)), HttpStatusCode.RequestEntityTooLarge, "1024 KiB"),
        ["shopify_unknown_store"] = new(a => a.Shopify("orders/create", Order, store: "nope"), HttpStatusCode.NotFound, "nope"),
        ["shopify_path_for_woocommerce_store"] = new(a => a.Shopify("orders/create", Order, store: "woo"), HttpStatusCode.NotFound, "woo"),
        ["shopify_path_for_custom_store"] = new(a => a.Shopify("orders/create", Order, store: "custom"), HttpStatusCode.NotFound, "custom"),
        ["woocommerce_bad_signature"] = new(a => a.Woo("order.created", Fixture("woocommerce", "order-processing.json"), signature: TestApp.Sign("wrong", [1])), HttpStatusCode.Unauthorized, "X-WC-Webhook-Signature"),
        ["woocommerce_signed_with_the_shopify_secret"] = new(a => a.Woo("order.created", Order, signature: TestApp.Sign(TestApp.ShopifySecret, Order)), HttpStatusCode.Unauthorized, "X-WC-Webhook-Signature"),
        ["woocommerce_missing_signature"] = new(a => Without(a.Woo("order.created", Fixture("woocommerce", "order-processing.json")), "X-WC-Webhook-Signature"), HttpStatusCode.Unauthorized, "missing"),
        ["woocommerce_missing_delivery_id"] = new(a => Without(a.Woo("order.created", Fixture("woocommerce", "order-processing.json")), "X-WC-Webhook-Delivery-ID"), HttpStatusCode.BadRequest, "X-WC-Webhook-Delivery-ID"),
        ["woocommerce_malformed_json"] = new(a => a.Woo("order.created", "{\"id\":727,"u8.ToArray()), HttpStatusCode.BadRequest, "Malformed JSON"),
        ["woocommerce_form_that_is_not_a_ping"] = new(a => new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/woocommerce/woo") { Content = new FormUrlEncodedContent([new("status", "processing")]) }, HttpStatusCode.Unauthorized, "X-WC-Webhook-Signature"),
        ["woocommerce_path_for_shopify_store"] = new(a => new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/woocommerce/shop") { Content = new ByteArrayContent(Order) }, HttpStatusCode.NotFound, "shop"),
        ["events_malformed_json"] = new(a => a.Keyed(HttpMethod.Post, "/api/events/custom", """{"type":"product.viewed","customerId":"1001" """), HttpStatusCode.BadRequest, "not valid JSON"),
        ["events_not_utf8"] = new(a => Bytes(a.Keyed(HttpMethod.Post, "/api/events/custom"), [.. "{\"type\":\"product.viewed\",\"customerId\":\"1"u8, 0xFF, .. "\"}"u8]), HttpStatusCode.BadRequest, "UTF-8"),
        ["events_over_1_MiB"] = new(a => Bytes(a.Keyed(HttpMethod.Post, "/api/events/custom"), Padded("""{"type":"product.viewed","customerId":"1001"}""", MiB + 1)), HttpStatusCode.RequestEntityTooLarge, "1024 KiB"),
        ["events_over_1_MiB_chunked"] = new(a => Chunked(a.Keyed(HttpMethod.Post, "/api/events/custom"), Padded("""{"type":"product.viewed","customerId":"1001"}""", MiB + 1)), HttpStatusCode.RequestEntityTooLarge, "1024 KiB"),
    };

    private static HttpRequestMessage Bytes(HttpRequestMessage r, byte[] body)
    {
        r.Content = new ByteArrayContent(body);
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return r;
    }

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task bad_request_gets_a_problem_naming_it_and_stores_and_queues_nothing(string name)
    {
        var c = Cases[name];
        _app.Counter.Reset();

        await _app.ProblemAsync(c.Request(_app), c.Status, c.Mentions);

        Assert.Equal(0, _app.Counter.TableWrites);
        Assert.Equal(0, _app.Counter.QueueOperations);
        Assert.Equal(0, await _app.DrainAsync());
        Assert.Null(await _app.CustomerAsync("shop", CustomerId));
        Assert.Null(await _app.CustomerAsync("custom", "1001"));
    }

    [Fact]
    public async Task body_of_exactly_1_MiB_is_not_too_large()
    {
        var body = Padded("""{"type":"product.viewed","customerId":"1001"}""", MiB);

        var answer = await _app.OkAsync(Bytes(_app.Keyed(HttpMethod.Post, "/api/events/custom"), body), HttpStatusCode.Accepted);

        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task bad_requests_about_a_stored_customer_leave_the_profile_unchanged()
    {
        await _app.OkAsync(Signed(_app, Order));
        Assert.Equal(1, await _app.DrainAsync());
        var before = await _app.CustomerTextAsync("shop", CustomerId);
        Assert.Contains("\"orderCount\":1", before, StringComparison.Ordinal);
        var cancelled = Fixture("shopify", "orders-create.json", o => o["cancelled_at"] = "2026-03-02T08:00:00-05:00");
        var redact = Fixture("shopify", "customers-redact.json");

        foreach (var c in new[] { "shopify_bad_signature", "shopify_missing_topic", "shopify_wrong_shop_domain", "shopify_malformed_json", "shopify_over_1_MiB_chunked" })
            await _app.ProblemAsync(Cases[c].Request(_app), Cases[c].Status);
        await _app.ProblemAsync(_app.Shopify("orders/cancelled", cancelled, signature: TestApp.Sign("wrong", cancelled)), HttpStatusCode.Unauthorized);
        await _app.ProblemAsync(Without(_app.Shopify("customers/redact", redact), "X-Shopify-Hmac-Sha256"), HttpStatusCode.Unauthorized);
        await _app.ProblemAsync(With(_app.Shopify("customers/redact", redact), "X-Shopify-Shop-Domain", "other-shop.myshopify.com"), HttpStatusCode.Forbidden);
        await _app.ProblemAsync(_app.Shopify("orders/cancelled", cancelled, store: "woo"), HttpStatusCode.NotFound);

        Assert.Equal(0, await _app.DrainAsync());
        Assert.Equal(before, await _app.CustomerTextAsync("shop", CustomerId));
    }
}
