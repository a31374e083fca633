using Automation.Core.Customers;
using Automation.Core.Events;
using static Automation.Core.Ingestion.WebhookJson;

namespace Automation.Core.Ingestion.Shopify;

/// <summary><c>customers/create</c>, <c>customers/update</c> and the email consent topic.</summary>
internal static class ShopifyCustomers
{
    public static MappingResult Customer(WebhookDelivery d, string type)
    {
        var customer = d.Payload;
        if (Id(customer, "id") is not { } id)
            return new MappingResult.Invalid("id", $"the {d.Topic} payload has no customer id");

        var at = Time(customer, "updated_at") ?? Time(customer, "created_at") ?? d.TriggeredAt ?? d.ReceivedAt;
        var facts = ShopifyPeople.Customer(customer, d.Topic, at);
        if (CustomerKey.For(id, facts.Email) is not { } key)
            return new MappingResult.Invalid("id", $"customer id '{id}' cannot be used as a key and the customer has no email");

        return WebhookEvents.Mapped(WebhookEvents.Create(d, ShopifyMapper.Source, 0, key, type, at, facts));
    }

    /// <summary>
    /// <c>customers_email_marketing_consent/update</c>: <c>{customer_id, email_address,
    /// email_marketing_consent: {state, opt_in_level, consent_updated_at}}</c>. The event
    /// happened when the consent changed, which is also the consent's own time.
    /// </summary>
    public static MappingResult ConsentUpdate(WebhookDelivery d)
    {
        var payload = d.Payload;
        var id = Id(payload, "customer_id");
        var email = Email(payload, "email_address");
        if (CustomerKey.For(id, email) is not { } key)
            return new MappingResult.Invalid("customer_id", "the consent update names neither a customer id nor an email address");

        var at = Object(payload, "email_marketing_consent") is { } c ? Time(c, "consent_updated_at") : null;
        var occurredAt = at ?? d.TriggeredAt ?? d.ReceivedAt;
        if (ShopifyPeople.Consent(payload, d.Topic, occurredAt) is not { } consent)
            return new MappingResult.Ignored("the consent update has no email_marketing_consent.state");

        var facts = new CustomerFacts(ExternalId: ShopifyPeople.UsableId(id), Email: email, Consent: consent);
        return WebhookEvents.Mapped(WebhookEvents.Create(d, ShopifyMapper.Source, 0, key, EventTypes.ConsentChanged, occurredAt, facts));
    }
}
