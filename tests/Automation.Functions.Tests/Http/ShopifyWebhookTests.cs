using System.Net;
using System.Text.Json.Nodes;
using Automation.Functions.Tests.Infrastructure;
using static Automation.Functions.Tests.Http.HttpKit;

namespace Automation.Functions.Tests.Http;

/// <summary>Shopify deliveries through Kestrel, the queue and Azurite, read back through the customers API.</summary>
public sealed class ShopifyWebhookTests : IAsyncLifetime
{
    // Both exceed 2^53: read through a double they would come back rounded.
    private const string CustomerId = "7340032000000000003";
    private const string OrderId = "5961433645200000001";

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static byte[] Order() => Fixture("shopify", "orders-create.json");

    private async Task PlaceOrderAsync()
    {
        await _app.OkAsync(_app.Shopify("orders/create", Order()));
        Assert.Equal(1, await _app.DrainAsync());
    }

    [Fact]
    public async Task orders_create_is_accepted_then_builds_the_profile_once_the_queue_is_drained()
    {
        var eventId = Guid.NewGuid().ToString();

        var answer = await _app.OkAsync(_app.Shopify("orders/create", Order(), eventId));

        Assert.Equal("accepted", answer.Text("status"));
        Assert.Equal(1, answer.GetProperty("events").GetInt32());
        Assert.Equal("shopify-" + eventId, Assert.Single(answer.GetProperty("ids").EnumerateArray()).GetString());
        Assert.Null(await _app.CustomerAsync("shop", CustomerId)); // nothing is stored on the request path

        Assert.Equal(1, await _app.DrainAsync());

        var customer = (await _app.CustomerAsync("shop", CustomerId))!.Value;
        Assert.Equal(1, customer.GetProperty("orderCount").GetInt32());
        Assert.Equal(388.00m, customer.GetProperty("totalSpent").GetDecimal());
        Assert.Equal("john.smith@example.com", customer.Text("email"), ignoreCase: true);
        Assert.Equal("John", customer.Text("firstName"));
        var consent = customer.GetProperty("consent");
        Assert.Equal("subscribed", consent.Text("state"));
        Assert.Equal("shopify:orders/create", consent.Text("source"));
        Assert.Equal(OrderId, Assert.Single(customer.GetProperty("recentOrders").EnumerateArray()).Text("orderId"));
    }

    [Fact]
    public async Task ids_above_2_pow_53_come_back_digit_for_digit()
    {
        await PlaceOrderAsync();

        var raw = await _app.CustomerTextAsync("shop", CustomerId);

        Assert.Contains($"\"customerId\":\"{CustomerId}\"", raw, StringComparison.Ordinal);
        Assert.Contains($"\"customerKey\":\"id:{CustomerId}\"", raw, StringComparison.Ordinal);
        Assert.Contains($"\"orderId\":\"{OrderId}\"", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task customer_with_an_account_is_also_found_by_email()
    {
        await PlaceOrderAsync();

        var customer = (await _app.CustomerAsync("shop", email: " JOHN.smith@example.com"))!.Value;

        Assert.Equal(CustomerId, customer.Text("customerId"));
    }

    [Fact]
    public async Task redelivery_with_the_same_event_id_changes_nothing()
    {
        var eventId = Guid.NewGuid().ToString();
        await _app.OkAsync(_app.Shopify("orders/create", Order(), eventId));
        await _app.DrainAsync();
        var before = await _app.CustomerTextAsync("shop", CustomerId);

        var again = await _app.OkAsync(_app.Shopify("orders/create", Order(), eventId));
        Assert.Equal(1, await _app.DrainAsync()); // handled: acknowledged as a duplicate

        Assert.Equal("accepted", again.Text("status"));
        Assert.Equal(before, await _app.CustomerTextAsync("shop", CustomerId));
        Assert.Equal(1, (await _app.CustomerAsync("shop", CustomerId))!.Value.GetProperty("orderCount").GetInt32());
    }

    [Fact]
    public async Task event_id_that_cannot_be_a_row_key_is_still_deduplicated()
    {
        const string eventId = "weird/id#with?every\\bad character";
        await _app.OkAsync(_app.Shopify("orders/create", Order(), eventId));
        await _app.OkAsync(_app.Shopify("orders/paid", Order(), eventId + "-paid"));
        Assert.Equal(2, await _app.DrainAsync());
        var before = await _app.CustomerTextAsync("shop", CustomerId);

        await _app.OkAsync(_app.Shopify("orders/paid", Order(), eventId + "-paid"));
        Assert.Equal(1, await _app.DrainAsync());

        Assert.Equal(before, await _app.CustomerTextAsync("shop", CustomerId));
        Assert.Equal("paid", Assert.Single((await _app.CustomerAsync("shop", CustomerId))!.Value.GetProperty("recentOrders").EnumerateArray()).Text("status"));
    }

    [Fact]
    public async Task same_order_delivered_under_another_event_id_is_counted_once()
    {
        await PlaceOrderAsync();

        await _app.OkAsync(_app.Shopify("orders/create", Order(), Guid.NewGuid().ToString()));
        Assert.Equal(1, await _app.DrainAsync());

        var customer = (await _app.CustomerAsync("shop", CustomerId))!.Value;
        Assert.Equal(1, customer.GetProperty("orderCount").GetInt32());
        Assert.Equal(388.00m, customer.GetProperty("totalSpent").GetDecimal());
        Assert.Single(customer.GetProperty("recentOrders").EnumerateArray());
    }

    [Fact]
    public async Task customers_update_changes_consent()
    {
        await PlaceOrderAsync();
        var update = Fixture("shopify", "customers-update.json", c =>
            c["email_marketing_consent"] = new JsonObject { ["state"] = "unsubscribed", ["consent_updated_at"] = "2026-03-04T16:19:00-05:00" });

        await _app.OkAsync(_app.Shopify("customers/update", update));
        Assert.Equal(1, await _app.DrainAsync());

        var consent = (await _app.CustomerAsync("shop", CustomerId))!.Value.GetProperty("consent");
        Assert.Equal("unsubscribed", consent.Text("state"));
        Assert.Equal("shopify:customers/update", consent.Text("source"));
    }

    [Fact]
    public async Task email_marketing_consent_update_changes_consent()
    {
        await PlaceOrderAsync();

        await _app.OkAsync(_app.Shopify("customers_email_marketing_consent/update", Fixture("shopify", "customers-email-marketing-consent-update.json")));
        Assert.Equal(1, await _app.DrainAsync());

        var customer = (await _app.CustomerAsync("shop", CustomerId))!.Value;
        var consent = customer.GetProperty("consent");
        Assert.Equal("unsubscribed", consent.Text("state"));
        Assert.Equal("shopify:customers_email_marketing_consent/update", consent.Text("source"));
        Assert.Equal(new DateTimeOffset(2026, 3, 6, 12, 30, 0, TimeSpan.Zero), consent.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(1, customer.GetProperty("orderCount").GetInt32());
    }

    [Fact]
    public async Task orders_cancelled_takes_the_order_out_of_the_count()
    {
        await PlaceOrderAsync();
        var cancelled = Fixture("shopify", "orders-create.json", o =>
        {
            o["cancelled_at"] = "2026-03-02T08:00:00-05:00";
            o["cancel_reason"] = "customer";
        });

        await _app.OkAsync(_app.Shopify("orders/cancelled", cancelled));
        Assert.Equal(1, await _app.DrainAsync());

        var customer = (await _app.CustomerAsync("shop", CustomerId))!.Value;
        Assert.Equal(0, customer.GetProperty("orderCount").GetInt32());
        Assert.Equal(0m, customer.GetProperty("totalSpent").GetDecimal());
        Assert.Equal("cancelled", Assert.Single(customer.GetProperty("recentOrders").EnumerateArray()).Text("status"));
    }

    [Fact]
    public async Task unknown_topic_is_acknowledged_as_ignored_and_queues_nothing()
    {
        var answer = await _app.OkAsync(_app.Shopify("products/update", Utf8("""{"id":632910392,"title":"IPod Nano"}""")));

        Assert.Equal("ignored", answer.Text("status"));
        Assert.Contains("products/update", answer.Text("reason"), StringComparison.Ordinal);
        Assert.Equal(0, await _app.DrainAsync());
    }

    [Fact]
    public async Task checkout_with_no_customer_and_no_email_is_acknowledged_and_queues_nothing()
    {
        var checkout = Fixture("shopify", "checkouts-create.json", c =>
        {
            c["customer"] = null;
            c["email"] = null;
        });

        var answer = await _app.OkAsync(_app.Shopify("checkouts/create", checkout));

        Assert.Equal(0, answer.GetProperty("events").GetInt32());
        Assert.Equal(0, await _app.DrainAsync());
    }

    [Fact]
    public async Task customers_redact_erases_the_customer_from_the_api()
    {
        await PlaceOrderAsync();

        var answer = await _app.OkAsync(_app.Shopify("customers/redact", Fixture("shopify", "customers-redact.json")));
        Assert.Equal(2, answer.GetProperty("events").GetInt32()); // by id, and by email for guest orders
        Assert.Equal(2, await _app.DrainAsync());

        Assert.Null(await _app.CustomerAsync("shop", CustomerId));
        Assert.Null(await _app.CustomerAsync("shop", email: "john.smith@example.com"));
    }

    [Fact]
    public async Task guest_order_is_found_by_email_and_keyed_without_the_address()
    {
        await _app.OkAsync(_app.Shopify("orders/create", Fixture("shopify", "orders-create-guest.json")));
        Assert.Equal(1, await _app.DrainAsync());

        var guest = (await _app.CustomerAsync("shop", email: "guest.buyer@example.com"))!.Value;

        Assert.Equal(1, guest.GetProperty("orderCount").GetInt32());
        Assert.Equal(59.90m, guest.GetProperty("totalSpent").GetDecimal());
        Assert.False(guest.TryGetProperty("customerId", out _));
        Assert.StartsWith("em:", guest.Text("customerKey"), StringComparison.Ordinal);
        Assert.DoesNotContain("guest", guest.Text("customerKey"), StringComparison.OrdinalIgnoreCase);
    }
}
