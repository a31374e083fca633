using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Functions.Customers;

/// <summary>The profile as the API shows it, with tier and scores computed as of now.</summary>
public sealed record CustomerView(
    string StoreId, string CustomerKey, string? CustomerId, string? Email, string? FirstName, string? LastName,
    string? Locale, string? Country, string? TimeZone, string? TimeZoneSource, Consent Consent,
    int OrderCount, decimal TotalSpent, string Currency, DateTimeOffset? FirstOrderAt, DateTimeOffset? LastOrderAt,
    DateTimeOffset? LastActivityAt, int OpenComplaints, string Tier, bool HighValue, RfmScores? Rfm,
    IReadOnlyCollection<string> Tags, IReadOnlyList<OrderView> RecentOrders, DateTimeOffset FirstSeenAt, DateTimeOffset UpdatedAt,
    MailingView Mailing)
{
    public static CustomerView Of(CustomerProfile p, StoreSettings store, DateTimeOffset now) => new(
        p.StoreId, p.CustomerKey, p.ExternalId, p.Email, p.FirstName, p.LastName, p.Locale ?? store.Locale, p.Country,
        p.TimeZone, p.TimeZoneSource, p.Consent, p.OrderCount, p.TotalSpent, store.Currency, p.FirstOrderAt, p.LastOrderAt,
        p.LastActivityAt, p.OpenComplaints, LifecycleTier.At(p, now), p.TotalSpent >= store.HighValueThreshold,
        RfmScores.At(p, store.HighValueThreshold, now), p.Tags,
        p.Orders.OrderByDescending(o => o.Value.At).Take(10).Select(o => OrderView.Of(o.Key, o.Value)).ToList(),
        p.FirstSeenAt, p.UpdatedAt, MailingView.Of(p, now));
}

/// <summary>What the send policy knows of the customer: why email may not reach them, and their recent marketing email.</summary>
public sealed record MailingView(bool UnsubscribedFromAll, DateTimeOffset? UnsubscribedAt, IReadOnlyCollection<string> OptedOutOfJourneys,
    string? Suppressed, int MarketingEmailsLast30Days, DateTimeOffset? LastMarketingEmailAt)
{
    public static MailingView Of(CustomerProfile p, DateTimeOffset now) => new(
        p.Mailing.UnsubscribedFromAll(p.Consent), p.Mailing.UnsubscribedAt, p.Mailing.OptedOut.Keys.ToList(), p.Mailing.Suppression,
        p.Mailing.MarketingSends.Count(s => s.At > now.AddDays(-30)), p.Mailing.MarketingSends.Count == 0 ? null : p.Mailing.MarketingSends.Max(s => s.At));
}

public sealed record OrderView(string OrderId, DateTimeOffset At, decimal? Total, string? Currency, string Status, decimal Refunded, IReadOnlyCollection<string> DiscountCodes)
{
    public static OrderView Of(string id, OrderEntry o) => new(id, o.At, o.Total, o.Currency,
        o.CancelledAt is not null ? "cancelled" : o.DeliveredAt is not null ? "delivered" : o.Fulfilled ? "fulfilled" : o.Paid ? "paid" : o.PlacedAt is not null ? "placed" : "seen",
        o.Refunds.Values.Sum(), o.DiscountCodes);
}
