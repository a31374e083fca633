using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Core.Tests.Profiles;

public sealed class ProfileReducerTests
{
    private static readonly StoreSettings Store = new("s", TimeZone: "America/New_York", HighValueThreshold: 300m);
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static CustomerEvent E(string type, DateTimeOffset at, OrderFacts? order = null, CustomerFacts? customer = null, string id = "e") =>
        new(id + type + at.Ticks, "s", "id:1", type, at, at, "api", customer, order);

    private static CustomerProfile Run(params CustomerEvent[] events) =>
        events.Aggregate((CustomerProfile?)null, (p, e) => ProfileReducer.Apply(p, e, Store, e.OccurredAt).Profile)!;

    [Fact]
    public void placed_order_counts_and_adds_to_total_spent()
    {
        var p = Run(E(EventTypes.OrderPlaced, T0, new OrderFacts("1", 120.50m, "USD")));

        Assert.Equal(1, p.OrderCount);
        Assert.Equal(120.50m, p.TotalSpent);
        Assert.Equal(T0, p.FirstOrderAt);
        Assert.Equal(T0, p.LastOrderAt);
    }

    [Fact]
    public void the_same_order_placed_twice_counts_once()
    {
        var p = Run(E(EventTypes.OrderPlaced, T0, new OrderFacts("1", 10m), id: "a"), E(EventTypes.OrderPlaced, T0, new OrderFacts("1", 10m), id: "b"));

        Assert.Equal(1, p.OrderCount);
        Assert.Equal(10m, p.TotalSpent);
    }

    [Fact]
    public void cancelled_order_does_not_count_and_refunds_reduce_spend()
    {
        var p = Run(
            E(EventTypes.OrderPlaced, T0, new OrderFacts("1", 100m)),
            E(EventTypes.OrderPlaced, T0.AddDays(1), new OrderFacts("2", 50m)),
            E(EventTypes.OrderCancelled, T0.AddDays(2), new OrderFacts("2")),
            E(EventTypes.OrderRefunded, T0.AddDays(3), new OrderFacts("1", RefundId: "r1", RefundAmount: 30m)),
            E(EventTypes.OrderRefunded, T0.AddDays(3), new OrderFacts("1", RefundId: "r1", RefundAmount: 30m), id: "dup"));

        Assert.Equal(1, p.OrderCount);
        Assert.Equal(70m, p.TotalSpent);
    }

    [Fact]
    public void older_identity_does_not_overwrite_newer_but_fills_blanks()
    {
        var p = Run(
            E(EventTypes.CustomerUpdated, T0.AddDays(1), customer: new CustomerFacts("1", "new@example.com", "New")),
            E(EventTypes.CustomerUpdated, T0, customer: new CustomerFacts("1", "old@example.com", "Old", "Surname")));

        Assert.Equal("new@example.com", p.Email);
        Assert.Equal("New", p.FirstName);
        Assert.Equal("Surname", p.LastName);
    }

    [Fact]
    public void consent_follows_its_own_timestamp_not_arrival_order()
    {
        var p = Run(
            E(EventTypes.ConsentChanged, T0.AddDays(2), customer: new CustomerFacts(Consent: new ConsentFacts("unsubscribed", "shopify:x", T0.AddDays(2)))),
            E(EventTypes.ConsentChanged, T0.AddDays(3), customer: new CustomerFacts(Consent: new ConsentFacts("subscribed", "shopify:y", T0.AddDays(1)))));

        Assert.Equal("unsubscribed", p.Consent.State);
        Assert.False(p.Consent.AllowsMarketing);
    }

    [Fact]
    public void time_zone_comes_from_customer_then_country_then_store()
    {
        Assert.Equal(("America/New_York", "store"), Zone(Run(E(EventTypes.CustomerCreated, T0, customer: new CustomerFacts("1")))));
        Assert.Equal(("Europe/Berlin", "country"), Zone(Run(E(EventTypes.CustomerCreated, T0, customer: new CustomerFacts("1", Country: "de")))));
        Assert.Equal(("Asia/Tokyo", "customer"), Zone(Run(
            E(EventTypes.CustomerCreated, T0, customer: new CustomerFacts("1", TimeZone: "Asia/Tokyo")),
            E(EventTypes.CustomerUpdated, T0.AddDays(1), customer: new CustomerFacts("1", Country: "DE")))));

        static (string?, string?) Zone(CustomerProfile p) => (p.TimeZone, p.TimeZoneSource);
    }

    [Fact]
    public void complaint_closed_before_it_is_seen_open_stays_closed_until_reopened()
    {
        CustomerEvent C(string type, DateTimeOffset at) => E(type, at) with { Data = new System.Text.Json.Nodes.JsonObject { ["complaintId"] = "c1" } };

        Assert.Equal(0, Run(C(EventTypes.ComplaintClosed, T0.AddDays(1)), C(EventTypes.ComplaintOpened, T0)).OpenComplaints);
        Assert.Equal(1, Run(C(EventTypes.ComplaintOpened, T0)).OpenComplaints);
        Assert.Equal(1, Run(C(EventTypes.ComplaintOpened, T0), C(EventTypes.ComplaintClosed, T0.AddDays(1)), C(EventTypes.ComplaintOpened, T0.AddDays(2))).OpenComplaints);
    }

    [Fact]
    public void ledger_beyond_its_cap_folds_old_orders_into_the_archive_without_losing_counts()
    {
        var events = Enumerable.Range(0, ProfileReducer.MaxOrdersKept + 20)
            .Select(i => E(EventTypes.OrderPlaced, T0.AddDays(i), new OrderFacts($"o{i}", 1m))).ToArray();

        var p = Run(events);

        Assert.Equal(ProfileReducer.MaxOrdersKept, p.Orders.Count);
        Assert.Equal(ProfileReducer.MaxOrdersKept + 20, p.OrderCount);
        Assert.Equal(ProfileReducer.MaxOrdersKept + 20, p.TotalSpent);
        Assert.Equal(T0, p.FirstOrderAt);
    }

    [Fact]
    public void events_older_than_an_erasure_are_ignored()
    {
        var erased = Run(
            E(EventTypes.OrderPlaced, T0, new OrderFacts("1", 5m), new CustomerFacts("1", "a@b.co", "Ann")),
            E(EventTypes.CustomerRedacted, T0.AddDays(5)));
        var change = ProfileReducer.Apply(erased, E(EventTypes.OrderPaid, T0.AddDays(1), new OrderFacts("1")), Store, T0.AddDays(6));

        Assert.Null(erased.Email);
        Assert.Equal(0, erased.OrderCount);
        Assert.NotNull(change.IgnoredReason);
        Assert.Equal(0, change.Profile.OrderCount);
    }
}
