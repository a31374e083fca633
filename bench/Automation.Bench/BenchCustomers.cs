using System.Collections.Immutable;
using System.Globalization;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Bench;

/// <summary>One generated customer: the profile as the app would have built it, the tier it was made for, and whether its address is on the store's suppression list.</summary>
/// <param name="SuppressedFor">The suppression list's reason for the address, or null.</param>
internal sealed record BenchCustomer(int Number, BenchMarket Market, CustomerProfile Profile, string Tier, string? SuppressedFor)
{
    public bool Marketable => Profile.Email is not null && Profile.Consent.AllowsMarketing;
}

/// <summary>
/// Deterministic customers of one store: customer <c>n</c> comes from a <see cref="Random"/> seeded with the bench's
/// seed and <c>n</c> alone, so any customer can be made again, in any order, on any thread, and every run seeds the
/// same store. Orders are placed relative to <c>now</c> (the app's clock at seeding) so that each customer lands in
/// the lifecycle tier it was made for (<see cref="LifecycleTier"/>'s rules), and stays there for the
/// <see cref="TiersHoldFor"/> after: a push a few virtual days later sees the same mix. The tier is checked with the
/// app's own rule for every customer.
/// </summary>
internal sealed class BenchCustomers(string storeId, DateTimeOffset now, int seed = BenchCustomers.DefaultSeed)
{
    public const int DefaultSeed = 20261124;
    public const string Domain = "bench.example";
    public const string Currency = "USD";
    public static readonly TimeSpan TiersHoldFor = TimeSpan.FromDays(5);

    /// <summary>Shares of the tiers; a large dormant base, as in most stores a few years old.</summary>
    private static readonly (string Tier, double Share)[] Tiers =
    [
        (LifecycleTier.Prospect, 0.15), (LifecycleTier.New, 0.08), (LifecycleTier.Active, 0.12),
        (LifecycleTier.Occasional, 0.20), (LifecycleTier.AtRisk, 0.15), (LifecycleTier.Dormant, 0.30),
    ];

    private static readonly (string State, double Share)[] ConsentStates = [("subscribed", 0.60), ("not_subscribed", 0.32), ("unsubscribed", 0.08)];

    /// <summary>Reasons on the suppression list, as SendGrid's events and admins put them there.</summary>
    private static readonly (string Reason, double Share)[] Suppressions = [("bounced", 0.5), ("unsubscribed", 0.25), ("spamreport", 0.15), ("blocked", 0.1)];

    private const double NoEmailShare = 0.01, SuppressedShare = 0.005, RefundShare = 0.03, DiscountShare = 0.10;

    public DateTimeOffset Now { get; } = now;

    public static string Email(int n) => string.Create(CultureInfo.InvariantCulture, $"c{n:D7}@{Domain}");

    /// <summary>The customer number of a generated address, or -1.</summary>
    public static int Number(string email) =>
        email.Length == 9 + Domain.Length && email[0] == 'c' && email.EndsWith("@" + Domain, StringComparison.OrdinalIgnoreCase)
        && int.TryParse(email.AsSpan(1, 7), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;

    public BenchCustomer Generate(int n)
    {
        var r = new Random(Mix(seed, n));
        var market = Pick(r, BenchMarket.All.Select(m => (m, m.Share)).ToArray());
        var zone = Pick(r, market.Zones);
        var tier = Pick(r, Tiers);
        var email = r.NextDouble() < NoEmailShare ? null : Email(n);
        var consent = Pick(r, ConsentStates);
        var favourite = BenchMarket.Categories[r.Next(BenchMarket.Categories.Length)];
        var times = OrderTimes(r, tier);
        var externalId = (7_000_000_000L + n).ToString(CultureInfo.InvariantCulture);

        var orders = ImmutableSortedDictionary.CreateBuilder<string, OrderEntry>(StringComparer.Ordinal);
        for (var i = 0; i < times.Length; i++)
            orders[(5_000_000_000L + (long)n * 16 + i).ToString(CultureInfo.InvariantCulture)] = Order(r, At(times[i]), favourite);
        var firstSeen = times.Length > 0 ? At(times[^1] + Uniform(r, 0, 30)) : At(Uniform(r, 1, 700));
        var lastOrder = times.Length > 0 ? At(times[0]) : (DateTimeOffset?)null;

        var profile = ProfileReducer.Summarise(new CustomerProfile
        {
            StoreId = storeId,
            CustomerKey = "id:" + externalId,
            ExternalId = externalId,
            Email = email,
            FirstName = market.FirstNames[r.Next(market.FirstNames.Length)],
            LastName = market.LastNames[r.Next(market.LastNames.Length)],
            Locale = Pick(r, market.Locales),
            Country = market.Country,
            TimeZone = zone,
            // As the reducer records it: inferred from a one-zone country, otherwise stated by the customer.
            TimeZoneSource = CountryTimeZones.For(market.Country) == zone ? "country" : "customer",
            IdentityUpdatedAt = firstSeen,
            Consent = new Consent(consent, "shopify", firstSeen),
            Orders = orders.ToImmutable(),
            FirstSeenAt = firstSeen,
            LastActivityAt = lastOrder ?? firstSeen,
            UpdatedAt = Now,
        });
        foreach (var late in new[] { Now, Now + TiersHoldFor })
            if (LifecycleTier.At(profile, late) is var actual && actual != tier)
                throw new InvalidOperationException($"Customer {n} was made {tier} but is {actual} at {late:O}: the generator's ranges are wrong.");
        var suppressed = email is not null && r.NextDouble() < SuppressedShare ? Pick(r, Suppressions) : null;
        return new BenchCustomer(n, market, profile, tier, suppressed);
    }

    /// <summary>
    /// Days before now of each order, newest first, in ranges that make the tier and keep it for <see cref="TiersHoldFor"/>:
    /// active, 3 or more in the last 84 days (the window is 90); new, a first order 1 to 24.9 days ago (30); occasional, the
    /// last 5 to 54 days ago (60) and the orders before it 45 days apart or more (so never 3 within 90); at risk, the last
    /// 65 to 170 days ago (60 and 180); dormant, 190 days or more.
    /// </summary>
    private static double[] OrderTimes(Random r, string tier)
    {
        switch (tier)
        {
            case LifecycleTier.Prospect:
                return [];
            case LifecycleTier.New:
                var first = Uniform(r, 1, 24.9);
                return r.NextDouble() < 0.8 ? [first] : [Uniform(r, 0.2, first - 0.1), first];
            case LifecycleTier.Active:
                var count = Count(r, 3);
                var recent = Math.Min(count, 3 + r.Next(3));
                var times = Enumerable.Range(0, recent).Select(_ => Uniform(r, 0.5, 84)).OrderBy(t => t).ToList();
                return [.. times, .. Older(r, times[^1], count - recent, 20, 150)];
            case LifecycleTier.Occasional:
                count = Count(r, 1);
                if (count == 1) return [Uniform(r, 36, 54)];
                var last = Uniform(r, 5, 54);
                return [last, .. Older(r, last, count - 1, 45, 200)];
            case LifecycleTier.AtRisk:
                last = Uniform(r, 65, 170);
                return [last, .. Older(r, last, Count(r, 1) - 1, 20, 200)];
            case LifecycleTier.Dormant:
                last = Uniform(r, 190, 900);
                return [last, .. Older(r, last, Count(r, 1) - 1, 20, 300)];
            default:
                throw new ArgumentOutOfRangeException(nameof(tier), tier, null);
        }
    }

    private static IEnumerable<double> Older(Random r, double after, int count, double minGap, double maxGap)
    {
        for (var i = 0; i < count; i++) yield return after += Uniform(r, minGap, maxGap);
    }

    /// <summary>At least <paramref name="min"/> orders, at most 10, each more one likelier than not to stop (mean about 2 more).</summary>
    private static int Count(Random r, int min)
    {
        var k = min;
        while (k < 10 && r.NextDouble() < 0.55) k++;
        return k;
    }

    private OrderEntry Order(Random r, DateTimeOffset at, string favourite)
    {
        // Log-normal, median about 55 (store currency), a long tail of large orders.
        var total = Math.Round((decimal)Math.Clamp(Math.Exp(4.0 + 0.7 * Normal(r)), 5, 2500), 2);
        var categories = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        var lines = 1 + (r.NextDouble() < 0.35 ? 1 : 0) + (r.NextDouble() < 0.10 ? 1 : 0);
        for (var i = 0; i < lines; i++)
        {
            var category = r.NextDouble() < 0.5 ? favourite : BenchMarket.Categories[r.Next(BenchMarket.Categories.Length)];
            categories[category] = categories.GetValueOrDefault(category) + (r.NextDouble() < 0.8 ? 1 : 2 + r.Next(2));
        }
        var delivered = at.AddDays(5);
        return new OrderEntry
        {
            PlacedAt = at,
            FirstSeenAt = at,
            Total = total,
            TotalAt = at,
            Currency = Currency,
            Paid = true,
            Fulfilled = at < Now.AddDays(-2),
            DeliveredAt = delivered <= Now ? delivered : null,
            Refunds = r.NextDouble() < RefundShare
                ? ImmutableSortedDictionary.Create<string, decimal>(StringComparer.Ordinal).Add("refund", Math.Round(total * (decimal)Uniform(r, 0.1, 0.5), 2))
                : ImmutableSortedDictionary.Create<string, decimal>(StringComparer.Ordinal),
            DiscountCodes = r.NextDouble() < DiscountShare ? ImmutableSortedSet.Create(StringComparer.Ordinal, "WELCOME10") : ImmutableSortedSet.Create<string>(StringComparer.Ordinal),
            Categories = categories.ToImmutable(),
        };
    }

    private DateTimeOffset At(double daysAgo) => Now.AddSeconds(-Math.Round(daysAgo * 86_400));

    private static double Uniform(Random r, double min, double max) => min + r.NextDouble() * (max - min);

    /// <summary>Standard normal (Box-Muller).</summary>
    private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static T Pick<T>(Random r, (T Item, double Share)[] items)
    {
        var x = r.NextDouble() * items.Sum(i => i.Share);
        foreach (var (item, share) in items)
            if ((x -= share) < 0) return item;
        return items[^1].Item;
    }

    /// <summary>A seed for customer <paramref name="n"/>: the run's seed and the number, mixed (not <see cref="HashCode"/>, which .NET randomises per process).</summary>
    private static int Mix(int seed, int n) => (int)((((ulong)(uint)seed << 32) | (uint)n) * 0x9E3779B97F4A7C15UL >> 33);
}
