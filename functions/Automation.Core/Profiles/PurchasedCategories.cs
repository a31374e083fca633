namespace Automation.Core.Profiles;

/// <summary>
/// The product categories a customer bought, the most bought first: what the audience index keeps as top
/// categories and what a promotion email picks its offers by, so both rank them the same way.
/// </summary>
public static class PurchasedCategories
{
    /// <summary>
    /// Every category of the ledger's orders that count (not cancelled; the last
    /// <see cref="ProfileReducer.MaxOrdersKept"/> orders), by units bought; ties go to the category bought most
    /// recently, then by name. Units rather than spend: every line has a quantity, prices are missing on some lines
    /// and refunds are known per order, not per line.
    /// </summary>
    /// <param name="comparer">Which names are one category; default ordinal (<c>Shoes</c> and <c>shoes</c> are two).
    /// With a case-insensitive comparer their units add up, under the spelling met first.</param>
    public static IReadOnlyList<string> Ranked(CustomerProfile profile, StringComparer? comparer = null) =>
        [.. profile.Orders.Values.Where(o => o.Counts && o.Categories is not null)
            .SelectMany(o => o.Categories!.Select(c => (Name: c.Key, Units: c.Value, o.At)))
            .GroupBy(c => c.Name, comparer ?? StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Units: g.Sum(c => (long)c.Units), Last: g.Max(c => c.At)))
            .OrderByDescending(c => c.Units).ThenByDescending(c => c.Last).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)];
}
