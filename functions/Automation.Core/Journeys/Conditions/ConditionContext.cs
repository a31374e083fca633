using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Core.Journeys.Conditions;

/// <summary>
/// The fields a condition can read: <c>customer.*</c> from the profile (tier and scores as of
/// <c>now</c>), <c>event.*</c> from the current event, and anything under <c>event.data.</c>.
/// </summary>
public sealed class ConditionContext(CustomerProfile customer, CustomerEvent? evt, StoreSettings store, DateTimeOffset now)
{
    private static readonly Dictionary<string, Func<ConditionContext, JsonNode?>> Fields = new(StringComparer.Ordinal)
    {
        ["customer.tier"] = c => LifecycleTier.At(c.Customer, c.Now),
        ["customer.orderCount"] = c => c.Customer.OrderCount,
        ["customer.totalSpent"] = c => c.Customer.TotalSpent,
        ["customer.highValue"] = c => c.Customer.TotalSpent >= c.Store.HighValueThreshold,
        ["customer.openComplaints"] = c => c.Customer.OpenComplaints,
        ["customer.consent"] = c => c.Customer.Consent.State,
        ["customer.hasEmail"] = c => c.Customer.Email is not null,
        ["customer.canEmail"] = c => Messaging.SendPolicy.CanEmail(c.Customer, Messaging.SendPolicy.Service),
        ["customer.canEmailMarketing"] = c => Messaging.SendPolicy.CanEmail(c.Customer, Messaging.SendPolicy.Marketing),
        ["customer.locale"] = c => c.Customer.Locale ?? c.Store.Locale,
        ["customer.country"] = c => c.Customer.Country,
        ["customer.tags"] = c => new JsonArray(c.Customer.Tags.Select(t => (JsonNode?)t).ToArray()),
        ["customer.daysSinceLastOrder"] = c => c.Customer.LastOrderAt is { } last ? Math.Floor((c.Now - last).TotalDays) : null,
        ["customer.rfm.recency"] = c => RfmScores.At(c.Customer, c.Store.HighValueThreshold, c.Now)?.Recency,
        ["customer.rfm.frequency"] = c => RfmScores.At(c.Customer, c.Store.HighValueThreshold, c.Now)?.Frequency,
        ["customer.rfm.monetary"] = c => RfmScores.At(c.Customer, c.Store.HighValueThreshold, c.Now)?.Monetary,
        ["event.type"] = c => c.Event?.Type,
        ["event.source"] = c => c.Event?.Source,
        ["event.order.id"] = c => c.Event?.Order?.OrderId,
        ["event.order.total"] = c => c.Event?.Order?.Total,
        ["event.order.discountCodes"] = c => c.Event?.Order?.DiscountCodes is { } codes ? new JsonArray(codes.Select(x => (JsonNode?)x).ToArray()) : null,
    };

    private const string DataPrefix = "event.data.";

    public CustomerProfile Customer { get; } = customer;
    public CustomerEvent? Event { get; } = evt;
    public StoreSettings Store { get; } = store;
    public DateTimeOffset Now { get; } = now;

    /// <summary>Every field name a condition may use; <c>event.data.*</c> is open-ended.</summary>
    public static IReadOnlyCollection<string> KnownFields => Fields.Keys;

    public static bool IsKnownField(string field) =>
        Fields.ContainsKey(field) || (field.StartsWith(DataPrefix, StringComparison.Ordinal) && field.Length > DataPrefix.Length);

    /// <summary>The field's value, or null when it is absent (an unknown field is absent too).</summary>
    public JsonNode? Read(string field)
    {
        if (Fields.TryGetValue(field, out var read)) return read(this);
        if (!field.StartsWith(DataPrefix, StringComparison.Ordinal) || Event?.Data is not { } data) return null;
        JsonNode? node = data;
        foreach (var part in field[DataPrefix.Length..].Split('.'))
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var next) ? next : null;
        return node?.DeepClone();
    }
}
