using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Core.Tests.Journeys.Coupons;

/// <summary>
/// A coupon's value (percent or amount with currency, minimum order, expiry) flows from the catalog
/// through the action and the coupon.issued result into the instance, and on to the email action;
/// an order using the code converts the run with the coupon and the step that issued it.
/// </summary>
public sealed class CouponValueFlowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly StoreSettings Store = new("s", TimeZone: "Europe/Madrid", Currency: "EUR");

    private static readonly JourneyCatalog Catalog = new(
        new HashSet<string> { "hello" },
        new Dictionary<string, CouponPool>
        {
            ["five-off"] = new() { AmountOff = 5, MinimumOrder = 30, ValidFor = "P7D", Prefix = "FIVE" },
            ["ten-pct"] = new() { PercentOff = 10, ValidFor = "P30D", Prefix = "TEN" },
            ["bulk"] = new() { Source = CouponSources.Pool, PercentOff = 15, Currency = null, ValidFor = "P14D" },
        },
        new Dictionary<string, WebhookTarget>());

    private sealed class Customer(string pool)
    {
        private readonly JourneyLibrary _library = new([PublishedJourney.Single(Define(pool))], Catalog);
        public CustomerProfile? Profile;
        public JourneyStates States = JourneyStates.Empty;
        public DateTimeOffset Now = T0;

        public JourneyDecision Apply(CustomerEvent e)
        {
            var outcome = CustomerDecision.Decide(Profile, States, e, Store, _library, Now);
            Profile = outcome.Profile ?? Profile;
            if (outcome.Journeys is { Changed: true } d) States = d.States;
            return outcome.Journeys!;
        }

        public JourneyInstance Instance => States.Instances["gift"];
    }

    private static JourneyDefinition Define(string pool)
    {
        var json = $$"""
            { "schemaVersion": 1, "id": "gift", "name": "Gift", "trigger": { "event": "loyalty.joined" },
              "goals": [ { "id": "order", "event": "order.placed" } ],
              "steps": [
                { "id": "coupon", "type": "issueCoupon", "pool": "{{pool}}", "next": "email" },
                { "id": "email", "type": "sendEmail", "template": "hello", "coupon": "coupon", "next": "wait" },
                { "id": "wait", "type": "wait", "duration": "P30D", "next": "done" },
                { "id": "done", "type": "exit" } ] }
            """;
        var read = JourneyReader.Read(json, Catalog);
        Assert.True(read.IsValid, string.Join("; ", read.Problems.Select(p => $"{p.Path}: {p.Message}")));
        return read.Definition!;
    }

    private static CustomerEvent Joined() => new("join", "s", "id:7", "loyalty.joined", T0, T0, "api",
        new CustomerFacts(ExternalId: "7", Email: "a@example.com", Consent: new ConsentFacts("subscribed", "test", T0)));

    private static CustomerEvent Issued(JourneyAction action, string code) =>
        EngineEvents.Result("s", "id:7", action, EventTypes.CouponIssued, T0, CouponResults.Issued(action, code));

    [Fact]
    public void an_amount_off_takes_the_stores_currency_and_reaches_the_email_with_its_minimum_and_expiry()
    {
        var customer = new Customer("five-off");

        var request = Assert.Single(customer.Apply(Joined()).Actions);
        Assert.Equal((5m, (decimal?)null, "EUR", 30m, T0.AddDays(7), "FIVE", CouponSources.Generated),
            (request.AmountOff!.Value, request.PercentOff, request.Currency, request.MinimumOrder, request.ExpiresAt!.Value, request.Prefix, request.CouponSource));

        var email = Assert.Single(customer.Apply(Issued(request, "FIVE-ABCDEFGHJK")).Actions);
        var coupon = email.Coupon!;
        Assert.Equal(("FIVE-ABCDEFGHJK", 0m, 5m, "EUR", 30m, T0.AddDays(7)),
            (coupon.Code, coupon.PercentOff, coupon.AmountOff, coupon.Currency, coupon.MinimumOrder, coupon.ExpiresAt));
        Assert.Equal(coupon, customer.Instance.Coupons["coupon"]);
    }

    [Fact]
    public void a_percent_off_carries_no_amount_or_currency()
    {
        var customer = new Customer("ten-pct");
        var request = Assert.Single(customer.Apply(Joined()).Actions);

        var coupon = Assert.Single(customer.Apply(Issued(request, "TEN-ABCDEFGHJK")).Actions).Coupon!;

        Assert.Equal((10m, (decimal?)null, (string?)null, (decimal?)null), (coupon.PercentOff, coupon.AmountOff, coupon.Currency, coupon.MinimumOrder));
    }

    [Fact]
    public void a_pool_coupon_is_asked_of_the_pool_without_a_prefix()
    {
        var request = Assert.Single(new Customer("bulk").Apply(Joined()).Actions);

        Assert.Equal((CouponSources.Pool, (string?)null, 15m), (request.CouponSource, request.Prefix, request.PercentOff!.Value));
    }

    [Fact]
    public void an_order_with_the_code_converts_the_run_naming_the_coupon_and_the_step_that_issued_it()
    {
        var customer = new Customer("ten-pct");
        var request = Assert.Single(customer.Apply(Joined()).Actions);
        customer.Apply(Issued(request, "TEN-ABCDEFGHJK"));
        customer.Now = T0.AddDays(2);

        customer.Apply(new CustomerEvent("o1", "s", "id:7", EventTypes.OrderPlaced, customer.Now, customer.Now, "api",
            Order: new OrderFacts("o1", 60m, "EUR", ["ten-abcdefghjk"])));

        var conversion = customer.Instance.Conversion!;
        Assert.Equal(("TEN-ABCDEFGHJK", "coupon", 60m), (conversion.Coupon, conversion.CouponStep, conversion.Revenue));
    }

    [Fact]
    public void an_order_without_the_code_converts_without_a_coupon_step()
    {
        var customer = new Customer("ten-pct");
        var request = Assert.Single(customer.Apply(Joined()).Actions);
        customer.Apply(Issued(request, "TEN-ABCDEFGHJK"));

        customer.Apply(new CustomerEvent("o1", "s", "id:7", EventTypes.OrderPlaced, T0, T0, "api", Order: new OrderFacts("o1", 60m, "EUR")));

        Assert.Null(customer.Instance.Conversion!.Coupon);
        Assert.Null(customer.Instance.Conversion!.CouponStep);
    }
}
