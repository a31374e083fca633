using Automation.Core.Customers;
using Automation.Core.Events;
using static Automation.Core.Ingestion.WebhookJson;

namespace Automation.Core.Ingestion.WooCommerce;

/// <summary>The customer topics. Customers that WooCommerce sends are registered: they always have an id.</summary>
internal static class WooCommerceCustomers
{
    /// <param name="timeField">The customer's own time for this change: <c>date_created_gmt</c> or <c>date_modified_gmt</c>.</param>
    public static MappingResult Customer(WebhookDelivery d, string type, string timeField)
    {
        var customer = d.Payload;
        if (Id(customer, "id") is not { } id)
            return new MappingResult.Invalid("id", $"the {d.Topic} payload has no customer id");
        if (CustomerKey.FromExternalId(id) is not { } key)
            return new MappingResult.Invalid("id", $"customer id '{id}' cannot be used as a key");

        var billing = Object(customer, "billing") ?? default;
        var shipping = Object(customer, "shipping") ?? default;
        var at = Time(customer, timeField) ?? Time(customer, "date_created_gmt") ?? d.TriggeredAt ?? d.ReceivedAt;
        var facts = new CustomerFacts(
            ExternalId: id,
            Email: Email(customer, "email") ?? Email(billing, "email"),
            FirstName: Text(customer, "first_name") ?? Text(billing, "first_name"),
            LastName: Text(customer, "last_name") ?? Text(billing, "last_name"),
            Country: Text(billing, "country") ?? Text(shipping, "country"));
        return WebhookEvents.Mapped(WebhookEvents.Create(d, WooCommerceMapper.Source, 0, key, type, at, facts));
    }

    /// <summary><c>customer.deleted</c> sends only <c>{"id": …}</c>, and no time.</summary>
    public static MappingResult Deleted(WebhookDelivery d)
    {
        if (Id(d.Payload, "id") is not { } id)
            return new MappingResult.Invalid("id", "the customer.deleted payload has no customer id");
        if (CustomerKey.FromExternalId(id) is not { } key)
            return new MappingResult.Invalid("id", $"customer id '{id}' cannot be used as a key");

        return WebhookEvents.Mapped(WebhookEvents.Create(d, WooCommerceMapper.Source, 0, key, EventTypes.CustomerDeleted, d.TriggeredAt ?? d.ReceivedAt));
    }
}
