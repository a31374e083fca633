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

    public static string At(CustomerProfile p, DateTimeOffset now)
    {
        if (p.OrderCount == 0 || p.LastOrderAt is not { } last) return Prospect;
        var inLast90Days = p.Orders.Values.Count(o => o.Counts && o.At > now.AddDays(-90) && o.At <= now);
        if (inLast90Days >= 3) return Active;
        if (p.FirstOrderAt is { } first && first > now.AddDays(-30)) return New;
        var since = now - last;
        if (since >= TimeSpan.FromDays(180)) return Dormant;
        if (since >= TimeSpan.FromDays(60)) return AtRisk;
        return Occasional;
    }
}
