using System.Collections;
using Automation.Core.Audience;
using Automation.Core.Profiles;
using Automation.Functions.Storage;

namespace Automation.Bench;

/// <summary>
/// What was generated and seeded, counted as the customers go by (one thread): the distribution the report prints,
/// and, by customer number, who may get marketing email and whose address is suppressed, so the SendGrid listener can
/// tell whether the push mailed anyone it must not.
/// </summary>
internal sealed class SeedTally(int customers)
{
    /// <summary>The tiers a holiday push addresses (docs/architecture.md, "The audience index"): not prospects, not new customers, not occasional ones.</summary>
    public static readonly IReadOnlySet<string> HolidayTiers = new HashSet<string>(StringComparer.Ordinal) { LifecycleTier.Active, LifecycleTier.AtRisk, LifecycleTier.Dormant };

    public static readonly string[] TierOrder =
        [LifecycleTier.Prospect, LifecycleTier.New, LifecycleTier.Active, LifecycleTier.Occasional, LifecycleTier.AtRisk, LifecycleTier.Dormant];

    public int Customers { get; } = customers;
    public int NoEmail { get; private set; }
    public long Orders { get; private set; }

    /// <summary>Rows of the audience index: customers with an address.</summary>
    public int AudienceRows { get; private set; }

    /// <summary>Marketable customers in <see cref="HolidayTiers"/>: whom a holiday push would choose from the index.</summary>
    public int HolidayAudience { get; private set; }

    /// <summary>Of <see cref="HolidayAudience"/>, those whose address is on the suppression list: the send policy must refuse them.</summary>
    public int HolidaySuppressed { get; private set; }

    public Dictionary<string, (int All, int Marketable)> Tiers { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> Consent { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, (int All, int Marketable)> Markets { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> Zones { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> Locales { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> Suppressed { get; } = new(StringComparer.Ordinal);
    /// <summary>Audience rows by shard.</summary>
    public int[] Shards { get; } = new int[AudienceIndex.Shards];

    /// <summary>Rows by shard that <see cref="AudienceFilter.MarketableBuyers"/> lets through.</summary>
    public int[] MarketableBuyerShards { get; } = new int[AudienceIndex.Shards];

    /// <summary>By customer number: may get marketing email (an address and consent).</summary>
    public BitArray Marketable { get; } = new(customers + 1);

    /// <summary>By customer number: the address is on the store's suppression list.</summary>
    public BitArray OnSuppressionList { get; } = new(customers + 1);

    public void Add(BenchCustomer c, AudienceEntry? entry)
    {
        var p = c.Profile;
        var marketable = c.Marketable ? 1 : 0;
        var (inTier, marketableInTier) = Tiers.GetValueOrDefault(c.Tier);
        Tiers[c.Tier] = (inTier + 1, marketableInTier + marketable);
        var (inMarket, marketableInMarket) = Markets.GetValueOrDefault(c.Market.Country);
        Markets[c.Market.Country] = (inMarket + 1, marketableInMarket + marketable);
        Increment(Consent, p.Consent.State);
        Increment(Zones, p.TimeZone ?? "?");
        Increment(Locales, p.Locale ?? "?");
        Orders += p.OrderCount;
        if (p.Email is null) NoEmail++;
        if (entry is not null)
        {
            AudienceRows++;
            var shard = AudienceIndex.ShardOf(entry.CustomerKey);
            Shards[shard]++;
            if (entry.CanEmailMarketing && entry.OrderCount >= AudienceFilter.MarketableBuyers.MinOrders) MarketableBuyerShards[shard]++;
        }
        Marketable[c.Number] = c.Marketable;
        var holiday = c.Marketable && HolidayTiers.Contains(c.Tier);
        if (holiday) HolidayAudience++;
        if (c.SuppressedFor is { } reason)
        {
            Increment(Suppressed, reason);
            OnSuppressionList[c.Number] = true;
            if (holiday) HolidaySuppressed++;
        }
    }

    public int SuppressedCount => Suppressed.Values.Sum();

    private static void Increment(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
