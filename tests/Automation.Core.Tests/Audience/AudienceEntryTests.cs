using System.Text.Json;
using Automation.Core.Audience;
using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Core.Tests.Audience;

public sealed class AudienceEntryTests
{
    private static readonly StoreSettings Store = new("s", TimeZone: "America/New_York");
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly CustomerFacts Ann = new("1", "ann@example.com", "Ann", "Example", "de-DE", "de", "Europe/Berlin",
        new ConsentFacts("subscribed", "shopify:customers/create", T0));

    private static int _ids;

    private static CustomerEvent E(string type, DateTimeOffset at, OrderFacts? order = null, CustomerFacts? customer = null) =>
        new($"e{Interlocked.Increment(ref _ids)}", "s", "id:1", type, at, at, "api", customer, order);

    private static CustomerEvent Placed(string order, DateTimeOffset at, decimal total, params OrderLine[] lines) =>
        E(EventTypes.OrderPlaced, at, new OrderFacts(order, total, "EUR", Lines: lines));

    private static OrderLine Line(string? category, int quantity) => new("p", "a product", category, quantity, 10m);

    private static CustomerProfile Run(params CustomerEvent[] events) =>
        events.Aggregate((CustomerProfile?)null, (p, e) => ProfileReducer.Apply(p, e, Store, e.OccurredAt).Profile)!;

    [Fact]
    public void entry_carries_what_a_broadcast_needs_and_no_personal_data()
    {
        var p = Run(E(EventTypes.CustomerCreated, T0, customer: Ann), Placed("1", T0.AddDays(1), 40m, Line("Shoes", 1)), Placed("2", T0.AddDays(9), 60m, Line("Socks", 3)));

        var entry = AudienceEntry.From(p)!;

        Assert.Equal(("s", "id:1", true, 2, 100m, "EUR"), (entry.StoreId, entry.CustomerKey, entry.CanEmailMarketing, entry.OrderCount, entry.TotalSpent, entry.Currency));
        Assert.Equal((T0.AddDays(1), T0.AddDays(9)), (entry.FirstOrderAt, entry.LastOrderAt));
        Assert.Equal([T0.AddDays(9), T0.AddDays(1)], entry.RecentOrders);
        Assert.Equal(("Europe/Berlin", "de-DE", "DE"), (entry.TimeZone, entry.Locale, entry.Country));
        Assert.Equal(["Socks", "Shoes"], entry.TopCategories);
        var json = JsonSerializer.Serialize(entry);
        Assert.DoesNotContain("ann@example.com", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Ann", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Example", json, StringComparison.Ordinal);
    }

    [Fact]
    public void an_erased_customer_or_one_without_an_address_has_no_entry()
    {
        var known = Run(E(EventTypes.CustomerCreated, T0, customer: Ann), Placed("1", T0.AddDays(1), 40m));
        var erased = ProfileReducer.Apply(known, E(EventTypes.CustomerRedacted, T0.AddDays(2)), Store, T0.AddDays(2)).Profile;
        var anonymous = Run(Placed("1", T0, 40m));

        Assert.NotNull(AudienceEntry.From(known));
        Assert.Null(AudienceEntry.From(erased));
        Assert.Null(AudienceEntry.From(anonymous));
        Assert.Null(AudienceEntry.From(null));
    }

    [Fact]
    public void a_customer_without_marketing_consent_stays_indexed_with_the_flag_off()
    {
        var subscribed = Run(E(EventTypes.CustomerCreated, T0, customer: Ann));
        var withdrawn = ProfileReducer.Apply(subscribed, E(EventTypes.ConsentChanged, T0.AddDays(1),
            customer: new CustomerFacts(Consent: new ConsentFacts("unsubscribed", "shopify:customers/update", T0.AddDays(1)))), Store, T0.AddDays(1)).Profile;
        var unsubscribedFromAll = ProfileReducer.Apply(subscribed, E(EventTypes.EmailUnsubscribed, T0.AddDays(1)), Store, T0.AddDays(1)).Profile;

        Assert.True(AudienceEntry.From(subscribed)!.CanEmailMarketing);
        Assert.False(AudienceEntry.From(withdrawn)!.CanEmailMarketing);
        Assert.False(AudienceEntry.From(unsubscribedFromAll)!.CanEmailMarketing);
    }

    [Fact]
    public void activity_that_changes_no_indexed_field_gives_an_equal_entry()
    {
        var p = Run(E(EventTypes.CustomerCreated, T0, customer: Ann), Placed("1", T0.AddDays(1), 40m, Line("Shoes", 2)));
        var browsed = ProfileReducer.Apply(p, E(EventTypes.ProductViewed, T0.AddDays(2)), Store, T0.AddDays(2)).Profile;
        var paid = ProfileReducer.Apply(browsed, E(EventTypes.OrderPaid, T0.AddDays(2), new OrderFacts("1", Lines: [Line("Shoes", 2)])), Store, T0.AddDays(2)).Profile;
        var mailed = p with { Mailing = p.Mailing.Reserve(T0.AddDays(3), "welcome", "a1") };
        var moved = ProfileReducer.Apply(p, E(EventTypes.CustomerUpdated, T0.AddDays(2), customer: Ann with { Locale = "fr-FR" }), Store, T0.AddDays(2)).Profile;

        Assert.Equal(AudienceEntry.From(p), AudienceEntry.From(browsed));
        Assert.True(AudienceEntry.From(p) == AudienceEntry.From(paid));
        Assert.Equal(AudienceEntry.From(p)!.GetHashCode(), AudienceEntry.From(mailed)!.GetHashCode());
        Assert.Equal(AudienceEntry.From(p), AudienceEntry.From(mailed));
        Assert.NotEqual(AudienceEntry.From(p), AudienceEntry.From(moved));
    }

    [Fact]
    public void top_categories_rank_units_then_the_latest_purchase_and_leave_out_cancelled_orders()
    {
        var p = Run(
            E(EventTypes.CustomerCreated, T0, customer: Ann),
            Placed("1", T0.AddDays(1), 10m, Line("Hats", 2), Line("Socks", 1), Line(" Socks ", 1), Line("", 5), Line(null, 5)),
            Placed("2", T0.AddDays(2), 10m, Line("Scarves", 2), Line("Gloves", 1), Line("Belts", 0)),
            Placed("3", T0.AddDays(3), 10m, Line("Coats", 9)),
            E(EventTypes.OrderCancelled, T0.AddDays(4), new OrderFacts("3")),
            Placed("4", T0.AddDays(5), 10m, Line("Boots", 1)));

        // Hats 2, Scarves 2 (newer), Socks 2 (older than both, then by name), Gloves 1, Belts 1 (no quantity: one), Boots 1 (newest).
        Assert.Equal(["Scarves", "Hats", "Socks", "Boots", "Belts"], AudienceEntry.From(p)!.TopCategories);
    }

    [Fact]
    public void an_order_described_twice_counts_its_lines_once_and_keeps_its_ten_biggest_categories()
    {
        var lines = Enumerable.Range(1, 12).Select(i => Line($"c{i:D2}", i)).ToArray();
        var p = Run(Placed("1", T0, 10m, lines), E(EventTypes.OrderPaid, T0.AddHours(1), new OrderFacts("1", 10m, "EUR", Lines: lines)));

        var categories = p.Orders["1"].Categories!;
        Assert.Equal(ProfileReducer.MaxCategoriesPerOrder, categories.Count);
        Assert.Equal(12, categories["c12"]);
        Assert.False(categories.ContainsKey("c02"));
    }
}
