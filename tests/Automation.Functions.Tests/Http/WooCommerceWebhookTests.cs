using System.Net;
using Automation.Functions.Tests.Infrastructure;
using static Automation.Functions.Tests.Http.HttpKit;

namespace Automation.Functions.Tests.Http;

/// <summary>WooCommerce deliveries through Kestrel, the queue and Azurite, read back through the customers API.</summary>
public sealed class WooCommerceWebhookTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static byte[] Processing() => Fixture("woocommerce", "order-processing.json");

    private static byte[] WithStatus(string status, string modifiedGmt) => Fixture("woocommerce", "order-processing.json", o =>
    {
        o["status"] = status;
        o["date_modified_gmt"] = modifiedGmt;
        if (status == "completed") o["date_completed_gmt"] = modifiedGmt;
    });

    [Fact]
    public async Task creation_ping_is_answered_without_a_signature_and_queues_nothing()
    {
        using var ping = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/woocommerce/woo")
        {
            Content = new FormUrlEncodedContent([new("webhook_id", "12")]),
        };
        Assert.Equal("application/x-www-form-urlencoded", ping.Content.Headers.ContentType!.MediaType);

        var (status, body) = await _app.SendAsync(ping);

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        Assert.Equal(0, await _app.DrainAsync());
    }

    [Fact]
    public async Task processing_order_gives_a_profile_with_one_order()
    {
        var answer = await _app.OkAsync(_app.Woo("order.created", Processing()));

        Assert.Equal("accepted", answer.Text("status"));
        Assert.Equal(2, answer.GetProperty("events").GetInt32()); // placed and paid
        Assert.Equal(2, await _app.DrainAsync());
        var customer = (await _app.CustomerAsync("woo", "25"))!.Value;
        Assert.Equal(1, customer.GetProperty("orderCount").GetInt32());
        Assert.Equal(59.00m, customer.GetProperty("totalSpent").GetDecimal());
        Assert.Equal("john.doe@example.com", customer.Text("email"), ignoreCase: true);
        Assert.Equal("paid", Assert.Single(customer.GetProperty("recentOrders").EnumerateArray()).Text("status"));
    }

    [Fact]
    public async Task completed_update_of_the_same_order_still_counts_one_order()
    {
        await _app.OkAsync(_app.Woo("order.created", Processing()));
        await _app.DrainAsync();

        await _app.OkAsync(_app.Woo("order.updated", WithStatus("completed", "2026-03-10T09:00:00")));
        Assert.Equal(3, await _app.DrainAsync()); // placed, paid, fulfilled again: each merges into order 727

        var customer = (await _app.CustomerAsync("woo", "25"))!.Value;
        Assert.Equal(1, customer.GetProperty("orderCount").GetInt32());
        Assert.Equal(59.00m, customer.GetProperty("totalSpent").GetDecimal());
        var order = Assert.Single(customer.GetProperty("recentOrders").EnumerateArray());
        Assert.Equal("727", order.Text("orderId"));
        Assert.Equal("fulfilled", order.Text("status"));
    }

    [Fact]
    public async Task repeated_delivery_of_the_same_update_changes_nothing()
    {
        await _app.OkAsync(_app.Woo("order.created", Processing(), deliveryId: "9001"));
        await _app.DrainAsync();
        var before = await _app.CustomerTextAsync("woo", "25");

        await _app.OkAsync(_app.Woo("order.created", Processing(), deliveryId: "9001"));
        Assert.Equal(2, await _app.DrainAsync());

        Assert.Equal(before, await _app.CustomerTextAsync("woo", "25"));
    }

    [Fact]
    public async Task guest_order_with_customer_id_0_is_keyed_by_email()
    {
        await _app.OkAsync(_app.Woo("order.created", Fixture("woocommerce", "order-guest.json")));
        await _app.DrainAsync();

        var guest = (await _app.CustomerAsync("woo", email: "jane.guest@example.org"))!.Value;

        Assert.Equal(1, guest.GetProperty("orderCount").GetInt32());
        Assert.Equal(34.80m, guest.GetProperty("totalSpent").GetDecimal());
        Assert.Equal("Jane", guest.Text("firstName"));
        Assert.StartsWith("em:", guest.Text("customerKey"), StringComparison.Ordinal);
        Assert.False(guest.TryGetProperty("customerId", out _));
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Get, "/api/customers/woo/0"), HttpStatusCode.BadRequest, "customerId"); // 0 is nobody
    }

    [Fact]
    public async Task cancelled_order_leaves_no_order_counted()
    {
        await _app.OkAsync(_app.Woo("order.created", Processing()));
        await _app.DrainAsync();

        await _app.OkAsync(_app.Woo("order.updated", WithStatus("cancelled", "2026-03-09T08:00:00")));
        Assert.Equal(1, await _app.DrainAsync());

        var customer = (await _app.CustomerAsync("woo", "25"))!.Value;
        Assert.Equal(0, customer.GetProperty("orderCount").GetInt32());
        Assert.Equal(0m, customer.GetProperty("totalSpent").GetDecimal());
        Assert.Equal("cancelled", Assert.Single(customer.GetProperty("recentOrders").EnumerateArray()).Text("status"));
    }

    [Fact]
    public async Task customer_created_gives_a_prospect_profile()
    {
        var answer = await _app.OkAsync(_app.Woo("customer.created", Fixture("woocommerce", "customer.json")));
        Assert.Equal(1, answer.GetProperty("events").GetInt32());
        Assert.Equal(1, await _app.DrainAsync());

        var customer = (await _app.CustomerAsync("woo", "25"))!.Value;
        Assert.Equal("25", customer.Text("customerId"));
        Assert.Equal("john.doe@example.com", customer.Text("email"), ignoreCase: true);
        Assert.Equal("John", customer.Text("firstName"));
        Assert.Equal("Doe", customer.Text("lastName"));
        Assert.Equal("US", customer.Text("country"));
        Assert.Equal(0, customer.GetProperty("orderCount").GetInt32());
        Assert.Equal("prospect", customer.Text("tier"));
        Assert.Equal("25", (await _app.CustomerAsync("woo", email: "john.doe@example.com"))!.Value.Text("customerId"));
    }
}
