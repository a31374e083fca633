using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Functions.Tests.Infrastructure;
using static Automation.Functions.Tests.Http.HttpKit;

namespace Automation.Functions.Tests.Http;

/// <summary>
/// Validly signed payloads with members of the wrong shape. A platform cannot be asked for a
/// better payload, so each is either refused with a 400 or accepted and then applied; never a
/// 500, and never accepted only to fail in the consumer (where it would retry, then be parked).
/// </summary>
public sealed class OddPayloadTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static readonly Dictionary<string, Action<JsonObject>> OrderChanges = new()
    {
        ["id_is_an_object"] = o => o["id"] = new JsonObject { ["x"] = 1 },
        ["id_is_an_array"] = o => o["id"] = new JsonArray(1, 2),
        ["id_has_a_fraction"] = o => o["id"] = 1.5,
        ["id_is_true"] = o => o["id"] = true,
        ["id_is_blank"] = o => o["id"] = "   ",
        ["id_has_300_digits"] = o => o["id"] = JsonNode.Parse(new string('9', 300)),
        ["id_is_a_string_with_a_slash"] = o => o["id"] = "1085/2",
        ["id_is_a_string_with_a_hash"] = o => o["id"] = "#1085",
        ["id_is_a_2000_character_string"] = o => o["id"] = new string('7', 2000),
        ["customer_is_a_string"] = o => o["customer"] = "John Smith",
        ["customer_id_is_an_object"] = o => o["customer"]!["id"] = new JsonObject(),
        ["customer_id_with_a_slash"] = o => o["customer"]!["id"] = "73/40",
        ["customer_email_is_a_number"] = o => o["customer"]!["email"] = 42,
        ["total_price_is_an_object"] = o => o["total_price"] = new JsonObject { ["amount"] = "388.00" },
        ["total_price_is_not_a_number"] = o => o["total_price"] = "three hundred",
        ["total_price_beyond_decimal"] = o => o["total_price"] = JsonNode.Parse("1e400"),
        ["total_price_negative"] = o => o["total_price"] = "-388.00",
        ["created_at_is_a_number"] = o => o["created_at"] = 1772377200,
        ["created_at_is_not_a_date"] = o => o["created_at"] = "yesterday",
        ["line_items_is_a_string"] = o => o["line_items"] = "two",
        ["line_items_hold_scalars"] = o => o["line_items"] = new JsonArray(1, null, "x"),
        ["quantity_is_huge"] = o => o["line_items"]![0]!["quantity"] = JsonNode.Parse("99999999999999999999"),
        ["discount_codes_hold_odd_values"] = o => o["discount_codes"] = new JsonArray(new JsonObject { ["code"] = 5 }, null, "WELCOME10"),
        ["consent_state_is_a_number"] = o => o["customer"]!["email_marketing_consent"] = new JsonObject { ["state"] = 5 },
        ["consent_time_is_not_a_date"] = o => o["customer"]!["email_marketing_consent"]!["consent_updated_at"] = "soon",
        ["customer_locale_is_an_array"] = o => o["customer_locale"] = new JsonArray("en"),
        ["first_name_is_10_KiB"] = o => o["customer"]!["first_name"] = new string('J', 10 * 1024),
    };

    public static TheoryData<string> OrderChangeNames() => [.. OrderChanges.Keys];

    [Theory]
    [MemberData(nameof(OrderChangeNames))]
    public async Task shopify_order_with_odd_members_is_refused_or_applied_never_500_or_stuck(string change)
    {
        var body = Fixture("shopify", "orders-create.json", OrderChanges[change]);

        await AssertRefusedOrAppliedAsync(_app.Shopify("orders/create", body));
    }

    [Fact]
    public async Task shopify_order_with_invalid_utf8_in_a_name_is_refused_or_applied()
    {
        const string name = "\"first_name\": \"John\"";
        var text = Encoding.UTF8.GetString(Fixture("shopify", "orders-create.json"));
        var at = text.IndexOf(name, StringComparison.Ordinal);
        Assert.True(at > 0);
        byte[] body = [.. Encoding.UTF8.GetBytes(text[..at]), .. "\"first_name\": \"J"u8, 0xC3, 0x28, .. "n\""u8, .. Encoding.UTF8.GetBytes(text[(at + name.Length)..])];

        await AssertRefusedOrAppliedAsync(_app.Shopify("orders/create", body));
    }

    [Theory]
    [InlineData("customers/update", "customers-update.json")]
    [InlineData("customers_email_marketing_consent/update", "customers-email-marketing-consent-update.json")]
    [InlineData("customers/redact", "customers-redact.json")]
    [InlineData("checkouts/create", "checkouts-create.json")]
    public async Task shopify_topic_with_every_member_replaced_by_an_object_is_refused_or_applied(string topic, string fixture)
    {
        var body = Fixture("shopify", fixture, o =>
        {
            foreach (var name in o.Select(p => p.Key).ToList()) o[name] = new JsonObject { ["x"] = 1 };
        });

        await AssertRefusedOrAppliedAsync(_app.Shopify(topic, body));
    }

    [Theory]
    [InlineData("order.created")]
    [InlineData("customer.created")]
    public async Task woocommerce_payload_with_every_member_replaced_by_an_array_is_refused_or_applied(string topic)
    {
        var body = Fixture("woocommerce", topic == "order.created" ? "order-processing.json" : "customer.json", o =>
        {
            foreach (var name in o.Select(p => p.Key).ToList()) o[name] = new JsonArray(1);
        });

        await AssertRefusedOrAppliedAsync(_app.Woo(topic, body));
    }

    [Fact]
    public async Task an_order_total_at_the_decimal_limit_does_not_stop_later_orders_from_counting()
    {
        const string huge = """{"id":"o-1","type":"order.placed","customerId":"1001","data":{"orderId":"1","total":79228162514264337593543950335}}""";
        const string next = """{"id":"o-2","type":"order.placed","customerId":"1001","data":{"orderId":"2","total":10}}""";
        var (first, firstBody) = await _app.SendAsync(_app.Keyed(HttpMethod.Post, "/api/events/custom", huge));
        Assert.True(first is HttpStatusCode.Accepted or HttpStatusCode.BadRequest, $"{(int)first}: {firstBody}");
        AssertNoStackTrace(firstBody);
        Assert.Equal(first == HttpStatusCode.Accepted ? 1 : 0, await _app.DrainAsync());

        await _app.OkAsync(_app.Keyed(HttpMethod.Post, "/api/events/custom", next), HttpStatusCode.Accepted);

        Assert.Equal(1, await _app.DrainAsync()); // the second order must apply, not fail in the consumer
        await AssertNothingParkedAsync();
        var customer = (await _app.CustomerAsync("custom", "1001"))!.Value;
        Assert.Equal(first == HttpStatusCode.Accepted ? 2 : 1, customer.GetProperty("orderCount").GetInt32());
    }

    private async Task AssertRefusedOrAppliedAsync(HttpRequestMessage request)
    {
        var (status, body) = await _app.SendAsync(request);

        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)status}: {body}");
        AssertNoStackTrace(body);
        var answer = JsonDocument.Parse(body).RootElement;
        if (status == HttpStatusCode.BadRequest)
        {
            Assert.NotEmpty(ErrorFields(answer));
            Assert.Equal(0, await _app.DrainAsync());
            return;
        }

        var queued = answer.TryGetProperty("events", out var events) ? events.GetInt32() : 0;
        Assert.Equal(queued, await _app.DrainAsync());
        await AssertNothingParkedAsync();
    }

    private async Task AssertNothingParkedAsync()
    {
        var parked = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/parked"));
        Assert.True(parked.GetArrayLength() == 0, $"parked: {parked.GetRawText()}");
    }
}
