using System.Text.Json.Nodes;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Ingestion;
using Automation.Core.Ingestion.Shopify;
using static Automation.Core.Tests.Ingestion.WebhookFixtures;

namespace Automation.Core.Tests.Ingestion;

/// <summary>Customer, consent, checkout and privacy topics.</summary>
public sealed class ShopifyCustomerTopicsTests
{
    private const string CustomerId = "7340032000000000003";

    private static MappingResult Map(string topic, string file, Action<JsonObject>? edit = null, DateTimeOffset? triggeredAt = null) =>
        ShopifyMapper.Map(Delivery(topic, Load("shopify", file, edit), triggeredAt));

    [Fact]
    public void customer_update_becomes_customer_updated_with_identity_and_consent()
    {
        var e = Single(Map("customers/update", "customers-update.json"));

        Assert.Equal(EventTypes.CustomerUpdated, e.Type);
        Assert.Equal("id:" + CustomerId, e.CustomerKey);
        Assert.Equal(Utc(2026, 3, 4, 21, 20), e.OccurredAt);
        Assert.Null(e.Order);
        Assert.Equal(
            new CustomerFacts(CustomerId, "John.Smith@Example.com", "John", "Smith", Country: "CA",
                Consent: new ConsentFacts("subscribed", "shopify:customers/update", Utc(2026, 3, 4, 21, 19))),
            e.Customer);
    }

    [Fact]
    public void customer_create_becomes_customer_created()
    {
        var e = Single(Map("customers/create", "customers-update.json"));

        Assert.Equal(EventTypes.CustomerCreated, e.Type);
        Assert.Equal("id:" + CustomerId, e.CustomerKey);
    }

    [Theory]
    [InlineData(true, "subscribed")]
    [InlineData(false, "not_subscribed")]
    public void legacy_accepts_marketing_is_read_when_email_marketing_consent_is_absent(bool accepts, string state)
    {
        var e = Single(Map("customers/update", "customers-update.json", c =>
        {
            c.Remove("email_marketing_consent");
            c["accepts_marketing"] = accepts;
        }));

        Assert.Equal(new ConsentFacts(state, "shopify:customers/update", e.OccurredAt), e.Customer!.Consent);
    }

    [Fact]
    public void customer_without_an_id_is_invalid()
    {
        var result = Map("customers/update", "customers-update.json", c => c.Remove("id"));

        Assert.Equal("id", Assert.IsType<MappingResult.Invalid>(result).Field);
    }

    [Fact]
    public void consent_update_becomes_consent_changed_at_its_own_time()
    {
        var e = Single(Map("customers_email_marketing_consent/update", "customers-email-marketing-consent-update.json"));

        Assert.Equal(EventTypes.ConsentChanged, e.Type);
        Assert.Equal("id:" + CustomerId, e.CustomerKey);
        Assert.Equal(Utc(2026, 3, 6, 12, 30), e.OccurredAt);
        Assert.Equal(
            new CustomerFacts(CustomerId, "john.smith@example.com",
                Consent: new ConsentFacts("unsubscribed", "shopify:customers_email_marketing_consent/update", Utc(2026, 3, 6, 12, 30))),
            e.Customer);
    }

    [Fact]
    public void consent_update_state_is_read_in_lower_case()
    {
        var e = Single(Map("customers_email_marketing_consent/update", "customers-email-marketing-consent-update.json",
            p => p["email_marketing_consent"]!["state"] = "SUBSCRIBED"));

        Assert.Equal("subscribed", e.Customer!.Consent!.State);
    }

    [Fact]
    public void consent_update_without_a_customer_id_is_keyed_by_email()
    {
        var e = Single(Map("customers_email_marketing_consent/update", "customers-email-marketing-consent-update.json", p => p["customer_id"] = null));

        Assert.Equal(CustomerKey.FromEmail("john.smith@example.com"), e.CustomerKey);
    }

    [Fact]
    public void consent_update_without_a_time_happens_when_shopify_triggered_it()
    {
        var triggered = Utc(2026, 3, 6, 12, 31);

        var e = Single(Map("customers_email_marketing_consent/update", "customers-email-marketing-consent-update.json",
            p => p["email_marketing_consent"]!["consent_updated_at"] = null, triggered));

        Assert.Equal(triggered, e.OccurredAt);
        Assert.Equal(triggered, e.Customer!.Consent!.At);
    }

    [Fact]
    public void consent_update_naming_nobody_is_invalid()
    {
        var result = Map("customers_email_marketing_consent/update", "customers-email-marketing-consent-update.json", p =>
        {
            p["customer_id"] = null;
            p["email_address"] = "";
        });

        Assert.Equal("customer_id", Assert.IsType<MappingResult.Invalid>(result).Field);
    }

    [Fact]
    public void consent_update_without_a_state_is_ignored()
    {
        var result = Map("customers_email_marketing_consent/update", "customers-email-marketing-consent-update.json",
            p => p["email_marketing_consent"]!["state"] = null);

        Assert.IsType<MappingResult.Ignored>(result);
    }

    [Fact]
    public void checkout_create_becomes_checkout_started_with_what_a_reminder_needs()
    {
        var e = Single(Map("checkouts/create", "checkouts-create.json"));

        Assert.Equal(EventTypes.CheckoutStarted, e.Type);
        Assert.Equal("id:" + CustomerId, e.CustomerKey);
        Assert.Equal(Utc(2026, 3, 8, 1, 0), e.OccurredAt);
        Assert.Null(e.Order);
        Assert.Equal("en-CA", e.Customer!.Locale);
        Assert.Equal("123123123abc", (string?)e.Data!["checkoutToken"]);
        Assert.Equal(25.00m, (decimal?)e.Data["total"]);
        Assert.Equal("CAD", (string?)e.Data["currency"]);
        Assert.Equal("https://checkout.local/548380009/checkouts/123123123abc/recover?key=example-secret-token", (string?)e.Data["recoveryUrl"]);
    }

    [Fact]
    public void checkout_update_becomes_checkout_updated_at_its_update_time()
    {
        var e = Single(Map("checkouts/update", "checkouts-create.json"));

        Assert.Equal(EventTypes.CheckoutUpdated, e.Type);
        Assert.Equal(Utc(2026, 3, 8, 1, 1, 30), e.OccurredAt);
    }

    [Fact]
    public void checkout_of_a_guest_is_keyed_by_email()
    {
        var e = Single(Map("checkouts/create", "checkouts-create.json", c => c.Remove("customer")));

        Assert.Equal(CustomerKey.FromEmail("john.smith@example.com"), e.CustomerKey);
    }

    [Fact]
    public void anonymous_checkout_yields_no_events()
    {
        var result = Map("checkouts/create", "checkouts-create.json", c =>
        {
            c.Remove("customer");
            c["email"] = null;
        });

        Assert.Empty(MappedEvents(result));
    }

    [Fact]
    public void customer_redact_erases_the_customer_under_its_id_and_its_email()
    {
        var triggered = Utc(2026, 3, 20, 8, 0);

        var events = MappedEvents(Map("customers/redact", "customers-redact.json", triggeredAt: triggered));

        Assert.Equal(["id:" + CustomerId, CustomerKey.FromEmail("john.smith@example.com")], events.Select(e => e.CustomerKey));
        Assert.Equal(["shopify-" + DeliveryId, "shopify-" + DeliveryId + "-1"], events.Select(e => e.Id));
        Assert.All(events, e =>
        {
            Assert.Equal(EventTypes.CustomerRedacted, e.Type);
            Assert.Equal(triggered, e.OccurredAt);
            Assert.Null(e.Customer);
            Assert.Equal(
                ["5961433645200000001", "5961433645200000002", "5961433645200000003"],
                e.Data!["ordersToRedact"]!.AsArray().Select(o => (string?)o));
        });
    }

    [Fact]
    public void customer_redact_without_an_email_erases_by_id_only()
    {
        var e = Single(Map("customers/redact", "customers-redact.json", p => p["customer"]!.AsObject().Remove("email")));

        Assert.Equal("id:" + CustomerId, e.CustomerKey);
        Assert.Equal(ReceivedAt, e.OccurredAt);
    }

    [Fact]
    public void customer_redact_naming_nobody_is_invalid()
    {
        var result = Map("customers/redact", "customers-redact.json", p => p["customer"] = JsonNode.Parse("""{"phone": "555-625-1199"}"""));

        Assert.Equal("customer", Assert.IsType<MappingResult.Invalid>(result).Field);
    }

    [Fact]
    public void shop_redact_becomes_shop_redacted_under_the_shop_key()
    {
        var e = Single(Map("shop/redact", "shop-redact.json"));

        Assert.Equal(EventTypes.ShopRedacted, e.Type);
        Assert.Equal("_shop", e.CustomerKey);
        Assert.Equal(ReceivedAt, e.OccurredAt);
    }

    [Fact]
    public void data_request_is_ignored_because_the_store_answers_it()
    {
        var ignored = Assert.IsType<MappingResult.Ignored>(Map("customers/data_request", "customers-data-request.json"));

        Assert.Equal("data requests are answered by the store from its admin", ignored.Reason);
    }

    [Fact]
    public void unknown_topic_is_ignored_naming_the_topic()
    {
        var ignored = Assert.IsType<MappingResult.Ignored>(Map("products/update", "shop-redact.json"));

        Assert.Equal("topic 'products/update' is not used", ignored.Reason);
    }
}
