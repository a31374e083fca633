using System.Globalization;
using System.Text.RegularExpressions;

namespace Automation.Core.Journeys.Definitions;

/// <summary>
/// Checks the coupon pools of <c>journeys/catalog.json</c>: a pool that promises nothing, or two
/// things at once, would put a wrong offer in front of customers. Each problem names the pool and
/// the field, as <c>$.couponPools.{pool}.{field}</c>.
/// </summary>
public static partial class CatalogValidator
{
    public static IReadOnlyList<JourneyProblem> Check(IReadOnlyDictionary<string, CouponPool> pools)
    {
        var problems = new List<JourneyProblem>();
        foreach (var (name, pool) in pools.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var at = $"$.couponPools.{name}";
            void Add(string field, string message) => problems.Add(new JourneyProblem($"{at}.{field}", $"coupon pool '{name}': {message}"));

            if (!PoolName().IsMatch(name))
                problems.Add(new JourneyProblem(at, $"coupon pool '{name}': a pool name is 1 to 63 lower-case letters, digits and hyphens"));
            if (pool is null)
            {
                problems.Add(new JourneyProblem(at, $"coupon pool '{name}': must be an object, not null"));
                continue;
            }
            if (pool.Source is not (CouponSources.Generated or CouponSources.Pool))
                Add("source", $"'{pool.Source}' is not a source; use \"generated\" (codes we make) or \"pool\" (codes the store uploads)");

            var percent = pool.PercentOff != 0m;
            var amount = pool.AmountOff is not null;
            if (percent == amount)
                Add(percent ? "amountOff" : "percentOff", "give exactly one of percentOff (more than 0, at most 100) and amountOff (more than 0, with a currency)");
            if (percent && pool.PercentOff is <= 0m or > 100m)
                Add("percentOff", $"{Num(pool.PercentOff)} is not a percentage: more than 0 and at most 100");
            if (pool.AmountOff is { } off && off <= 0m)
                Add("amountOff", $"{Num(off)} must be more than 0");
            if (pool.Currency is { } currency)
            {
                if (!amount) Add("currency", "only goes with amountOff");
                else if (!Currency().IsMatch(currency)) Add("currency", $"'{currency}' is not a 3-letter ISO 4217 code such as \"EUR\"; leave it out for the store's currency");
            }
            if (pool.MinimumOrder is { } minimum && minimum <= 0m)
                Add("minimumOrder", $"{Num(minimum)} must be more than 0; leave it out for no minimum");

            if (!IsoDuration.TryParse(pool.ValidFor, out var validFor, out var durationProblem))
                Add("validFor", durationProblem ?? "is not a duration");
            else if (validFor <= TimeSpan.Zero)
                Add("validFor", $"'{pool.ValidFor}' must be longer than zero");

            if (pool.Source == CouponSources.Generated && !Prefix().IsMatch(pool.Prefix ?? ""))
                Add("prefix", $"'{pool.Prefix}' is not a prefix: generated codes need 1 to 12 upper-case letters and digits, e.g. \"BACK20\"");
            if (pool.Source == CouponSources.Pool && !string.IsNullOrEmpty(pool.Prefix))
                Add("prefix", "a pool of uploaded codes has no prefix: the codes are the store's own");
        }
        return problems;
    }

    private static string Num(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex PoolName();

    [GeneratedRegex("^[A-Z0-9]{1,12}$")]
    private static partial Regex Prefix();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex Currency();
}
