using Automation.Core.Audience;
using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Core.Tests.Profiles;

public sealed class PurchasedCategoriesTests
{
    private static readonly StoreSettings Store = new("s");
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static int _ids;

    private static CustomerEvent E(string type, DateTimeOffset at, OrderFacts order) =>
        new($"e{Interlocked.Increment(ref _ids)}", "s", "id:1", type, at, at, "api", Order: order);

    private static CustomerEvent Placed(string order, DateTimeOffset at, params OrderLine[] lines) =>
        E(EventTypes.OrderPlaced, at, new OrderFacts(order, 10m, "EUR", Lines: lines));

    private static OrderLine Line(string category, int quantity) => new("p", "a product", category, quantity, 10m);

    private static CustomerProfile Run(params CustomerEvent[] events) =>
        events.Aggregate((CustomerProfile?)null, (p, e) => ProfileReducer.Apply(p, e, Store, e.OccurredAt).Profile)!;

    [Fact]
    public void every_category_is_ranked_by_units_then_latest_purchase_then_name_without_cancelled_orders()
    {
        var p = Run(
            Placed("1", T0, Line("Hats", 3), Line("Socks", 1), Line("Belts", 1)),
            Placed("2", T0.AddDays(1), Line("Coats", 9)),
            E(EventTypes.OrderCancelled, T0.AddDays(2), new OrderFacts("2")),
            Placed("3", T0.AddDays(3), Line("Boots", 1), Line("Gloves", 1), Line("Scarves", 1), Line("Ties", 1)));

        Assert.Equal(["Hats", "Boots", "Gloves", "Scarves", "Ties", "Belts", "Socks"], PurchasedCategories.Ranked(p));
    }

    [Fact]
    public void spellings_are_separate_categories_unless_the_comparer_joins_them()
    {
        var p = Run(
            Placed("1", T0, Line("shoes", 2), Line("Hats", 3)),
            Placed("2", T0.AddDays(1), Line("Shoes", 2)));

        Assert.Equal(["Hats", "Shoes", "shoes"], PurchasedCategories.Ranked(p));
        Assert.Equal(["shoes", "Hats"], PurchasedCategories.Ranked(p, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void the_audience_entry_keeps_the_first_five_of_the_same_ranking()
    {
        var p = Run(
            Placed("1", T0, Line("a", 7), Line("b", 6), Line("c", 5)),
            Placed("2", T0.AddDays(1), Line("d", 4), Line("e", 3), Line("f", 2), Line("g", 1)));
        var withAddress = p with { Email = "x@example.com" };

        Assert.Equal(PurchasedCategories.Ranked(p).Take(AudienceEntry.MaxCategories), AudienceEntry.From(withAddress)!.TopCategories);
        Assert.Equal(7, PurchasedCategories.Ranked(p).Count);
    }

    [Fact]
    public void a_customer_without_categories_has_none()
    {
        var p = Run(E(EventTypes.OrderPlaced, T0, new OrderFacts("1", 10m, "EUR")));

        Assert.Empty(PurchasedCategories.Ranked(p));
    }
}
