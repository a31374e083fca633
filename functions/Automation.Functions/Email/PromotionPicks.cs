using Automation.Core.Profiles;
using Automation.Functions.Hosting;

namespace Automation.Functions.Email;

/// <summary>
/// The offers a promotion email shows one customer: the store's <see cref="StoreOptions.Promotions"/> for the
/// categories the customer bought, the most bought first (<see cref="PurchasedCategories.Ranked"/>, spellings
/// joined case-insensitively), one per category before a second of any; when none of their categories has one,
/// the store's <see cref="StoreOptions.Featured"/> offers. A personal list is not padded with featured offers,
/// so "picked for you" stays true.
/// </summary>
public static class PromotionPicks
{
    public const int Max = 3;

    /// <param name="Personalised">The picks came from the customer's own categories.</param>
    public sealed record Picks(IReadOnlyList<PromotionOptions> Offers, bool Personalised);

    public static Picks For(CustomerProfile profile, StoreOptions store)
    {
        var byCategory = store.Promotions.Where(p => !string.IsNullOrWhiteSpace(p.Category))
            .GroupBy(p => p.Category!.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var lists = byCategory.Count == 0 ? [] : PurchasedCategories.Ranked(profile, StringComparer.OrdinalIgnoreCase)
            .Select(byCategory.GetValueOrDefault).OfType<List<PromotionOptions>>().ToList();

        var offers = new List<PromotionOptions>();
        for (var round = 0; offers.Count < Max && lists.Any(l => l.Count > round); round++)
        {
            foreach (var list in lists.Where(l => l.Count > round))
            {
                // One offer listed under two categories is shown once.
                if (offers.Count < Max && !offers.Any(o => SameUrl(o.Url, list[round].Url))) offers.Add(list[round]);
            }
        }
        return offers.Count > 0 ? new Picks(offers, Personalised: true) : new Picks([.. store.Featured.Take(Max)], Personalised: false);
    }

    private static bool SameUrl(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal);
}
