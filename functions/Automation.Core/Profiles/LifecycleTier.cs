namespace Automation.Core.Profiles;

/// <summary>
/// Lifecycle tiers. Persisted and used in journey conditions, so the names are forever.
/// Evaluated in this order: prospect (no order), active (3+ orders in 90 days), new (first
/// order within 30 days), dormant (no order for 180 days), at risk (none for 60 days), and
/// occasional for everyone else (ordered recently, but not often).
/// </summary>
public static class LifecycleTier
{
    public const string Prospect = "prospect";
    public const string New = "new";
    public const string Active = "active";
    public const string Occasional = "occasional";
    public const string AtRisk = "at_risk";
    public const string Dormant = "dormant";

    /// <summary>Orders within <see cref="ActiveWindowDays"/> that make a customer active.</summary>
    public const int ActiveOrders = 3;

    public const int ActiveWindowDays = 90;

    public static string At(CustomerProfile p, DateTimeOffset now) =>
        Of(p.OrderCount, p.FirstOrderAt, p.LastOrderAt, p.Orders.Values.Where(o => o.Counts).Select(o => o.At), now);

    /// <summary>
    /// The rule itself, over the few facts it reads, so that a projection of the profile (the audience
    /// index) computes the tier with this very code. <paramref name="countedOrderTimes"/> are the times
    /// of the orders that count (not cancelled) among those the ledger keeps; only the ones within the
    /// active window before <paramref name="now"/> matter, and only up to <see cref="ActiveOrders"/> of them.
    /// </summary>
    public static string Of(int orderCount, DateTimeOffset? firstOrderAt, DateTimeOffset? lastOrderAt, IEnumerable<DateTimeOffset> countedOrderTimes, DateTimeOffset now)
    {
        if (orderCount == 0 || lastOrderAt is not { } last) return Prospect;
        var inWindow = countedOrderTimes.Count(at => at > now.AddDays(-ActiveWindowDays) && at <= now);
        if (inWindow >= ActiveOrders) return Active;
        if (firstOrderAt is { } first && first > now.AddDays(-30)) return New;
        var since = now - last;
        if (since >= TimeSpan.FromDays(180)) return Dormant;
        if (since >= TimeSpan.FromDays(60)) return AtRisk;
        return Occasional;
    }
}
