using System.Text.Json;
using Automation.Core.Customers;
using Automation.Core.Events;
using static Automation.Core.Ingestion.WebhookJson;

namespace Automation.Core.Ingestion.Shopify;

/// <summary>Who a Shopify resource is about: the key and what it tells of the person.</summary>
internal static class ShopifyPeople
{
    /// <summary>
    /// The buyer of an order or checkout: keyed by <c>customer.id</c>, else (a guest, or a
    /// <c>customer</c> that is null) by the first usable of <c>email</c>, <c>contact_email</c>,
    /// <c>customer.email</c>. Key is null when there is neither.
    /// </summary>
    public static (string? Key, CustomerFacts Facts) Buyer(JsonElement resource, string topic, DateTimeOffset occurredAt)
    {
        // An absent customer reads as an empty element, whose members all read as absent.
        var customer = Object(resource, "customer") ?? default;
        var billing = Object(resource, "billing_address") ?? default;
        var shipping = Object(resource, "shipping_address") ?? default;
        var id = Id(customer, "id");
        var orderEmail = Email(resource, "email") ?? Email(resource, "contact_email");

        var facts = new CustomerFacts(
            ExternalId: UsableId(id),
            // The account's address first, so that orders placed with another address do not
            // flip the profile's email back and forth with each customers/update.
            Email: Email(customer, "email") ?? orderEmail,
            FirstName: Text(customer, "first_name") ?? Text(billing, "first_name"),
            LastName: Text(customer, "last_name") ?? Text(billing, "last_name"),
            Locale: Text(resource, "customer_locale"),
            Country: DefaultCountry(customer) ?? Text(shipping, "country_code") ?? Text(billing, "country_code"),
            Consent: Consent(customer, topic, occurredAt));
        return (CustomerKey.For(id, orderEmail ?? Email(customer, "email")), facts);
    }

    /// <summary>What a customer resource (<c>customers/*</c> payloads) tells.</summary>
    public static CustomerFacts Customer(JsonElement customer, string topic, DateTimeOffset occurredAt) => new(
        ExternalId: UsableId(Id(customer, "id")),
        Email: Email(customer, "email"),
        FirstName: Text(customer, "first_name"),
        LastName: Text(customer, "last_name"),
        Country: DefaultCountry(customer),
        Consent: Consent(customer, topic, occurredAt));

    /// <summary>
    /// Email marketing consent from <c>email_marketing_consent</c>, or from the legacy
    /// <c>accepts_marketing</c> flag when an older API version sends only that.
    /// </summary>
    /// <param name="holder">The object holding <c>email_marketing_consent</c>: a customer, or a consent-update payload.</param>
    public static ConsentFacts? Consent(JsonElement holder, string topic, DateTimeOffset occurredAt)
    {
        var source = "shopify:" + topic;
        if (Object(holder, "email_marketing_consent") is { } consent)
        {
            // The REST payloads use lower case; GraphQL-shaped ones say SUBSCRIBED.
            return Text(consent, "state") is { } state
                ? new ConsentFacts(state.ToLowerInvariant(), source, Time(consent, "consent_updated_at") ?? occurredAt)
                : null;
        }

        return Boolean(holder, "accepts_marketing") is { } accepts
            ? new ConsentFacts(accepts ? "subscribed" : "not_subscribed", source, Time(holder, "accepts_marketing_updated_at") ?? occurredAt)
            : null;
    }

    /// <summary>The id when it can be a key (not blank, not <c>0</c>, key-safe); null otherwise.</summary>
    public static string? UsableId(string? id) => CustomerKey.FromExternalId(id) is null ? null : id;

    private static string? DefaultCountry(JsonElement customer) =>
        Object(customer, "default_address") is { } address ? Text(address, "country_code") : null;
}
