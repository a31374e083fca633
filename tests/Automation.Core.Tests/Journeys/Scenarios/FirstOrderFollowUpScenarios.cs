using Automation.Core.Journeys.Engine;
using static Automation.Core.Tests.Journeys.Scenarios.Rows;

namespace Automation.Core.Tests.Journeys.Scenarios;

/// <summary>
/// journeys/first-order-follow-up.json: first order → its delivery (or 14 days) → 3 days later at
/// 10:00 in the customer's zone, a thank-you with a 10% second-order coupon valid 30 days; a
/// second order is the goal. The store is on New York time; Ana has marketing consent.
/// </summary>
public sealed class FirstOrderFollowUpScenarios
{
    private static Scenario FollowUp => Scenario.Of(ShippedJourneys.FirstOrder);

    private static ExpectedAction[] ThankYouWithCoupon(string at) =>
    [
        Coupon(10).At(at).ValidFor("P30D"),
        Email("first-order-thank-you").At(at).WithCoupon(10).AsMarketing(),
    ];

    /// <summary>When the thank-you goes out, by the customer's zone and the delivery time.</summary>
    public static TheoryData<string, string?, string?, string, string, string> SendTimes => new()
    {
        // case,                                                        zone stated,     country, ordered,             delivered,           thank-you at
        { "store zone",                                                 null,            null,    "2026-04-06T13:00Z", "2026-04-08T18:30Z", "2026-04-12T10:00 America/New_York" },
        { "delivered before 10:00: the same morning three days on",     null,            null,    "2026-04-06T13:00Z", "2026-04-08T12:00Z", "2026-04-11T10:00 America/New_York" },
        { "spring forward between delivery and send: 10:00 EDT",        null,            null,    "2026-03-02T09:00Z", "2026-03-05T16:00Z", "2026-03-09T10:00 America/New_York" },
        // P3D is 72 elapsed hours: 09:30 EST plus 72 hours is 10:30 EDT, past 10:00, so the next morning.
        { "P3D is 72 hours, so spring forward pushes to the next day",  null,            null,    "2026-03-02T09:00Z", "2026-03-05T14:30Z", "2026-03-09T10:00 America/New_York" },
        { "Tokyo customer of a New York store: 10:00 in Tokyo",         "Asia/Tokyo",    null,    "2026-03-02T09:00Z", "2026-03-05T16:00Z", "2026-03-09T10:00 Asia/Tokyo" },
        { "customer in Japan by country: 10:00 in Tokyo",               null,            "JP",    "2026-03-02T09:00Z", "2026-03-05T16:00Z", "2026-03-09T10:00 Asia/Tokyo" },
        { "London customer across the autumn change: 10:00 GMT",        "Europe/London", null,    "2026-10-19T09:00Z", "2026-10-22T08:00Z", "2026-10-25T10:00 Europe/London" },
    };

    [Theory]
    [MemberData(nameof(SendTimes))]
    public void thank_you_with_10_percent_coupon_arrives_3_days_after_delivery_at_10_local(string @case, string? zone, string? country, string ordered, string delivered, string thankYouAt)
    {
        Assert.NotEmpty(@case);
        var justBefore = Times.Utc(Times.Parse(thankYouAt).AddMinutes(-1));
        FollowUp.For(Customer.Ana with { TimeZone = zone, Country = country }).Run(
            At(ordered, Order("o1", 40m)),
            ExpectWaiting("wait-for-delivery", Times.Utc(Times.Parse(ordered).AddDays(14))),
            At(delivered, Delivered("o1")),
            ExpectNothing(),
            AdvanceTo(justBefore),
            ExpectNothing(),
            AdvanceTo(thankYouAt),
            Expect(ThankYouWithCoupon(thankYouAt)),
            Advance("P30D"),
            ExpectNothing(),
            ExpectStatus(InstanceStatus.Exited, "exit step 'done'"));
    }

    [Fact]
    public void order_never_reported_delivered_gets_the_thank_you_after_the_14_day_timeout() => FollowUp.Run(
        At("2026-04-06T13:00Z", Order("o1", 40m)),
        AdvanceTo("2026-04-20T12:59Z"),
        ExpectNothing(),
        AdvanceTo("2026-04-20T13:00Z"),
        ExpectHistory("wait-for-delivery", "timedOut"),
        ExpectWaiting("three-days-later", "2026-04-23T13:00Z"),
        AdvanceTo("2026-04-23T10:00 America/New_York"),
        Expect(ThankYouWithCoupon("2026-04-23T10:00 America/New_York")));

    [Fact]
    public void delivery_of_a_different_order_does_not_count_as_the_first_orders_delivery() => FollowUp.Run(
        At("2026-04-06T13:00Z", Order("o1", 40m)),
        At("2026-04-08T18:30Z", Delivered("o9")),
        ExpectWaiting("wait-for-delivery", "2026-04-20T13:00Z"),
        AdvanceTo("2026-04-12T10:00 America/New_York"),
        ExpectNothing(),
        AdvanceTo("2026-04-23T10:00 America/New_York"),
        Expect(ThankYouWithCoupon("2026-04-23T10:00 America/New_York")));

    [Fact]
    public void second_order_with_the_coupon_ends_the_journey_as_a_conversion_attributed_to_it() => FollowUp.Run(
        At("2026-04-06T13:00Z", Order("o1", 40m)),
        At("2026-04-08T18:30Z", Delivered("o1")),
        AdvanceTo("2026-04-12T10:00 America/New_York"),
        Expect(ThankYouWithCoupon("2026-04-12T10:00 America/New_York")),
        At("2026-04-17T20:00Z", Order("o2", 55.90m).UsingCouponOf("second-order-coupon")),
        ExpectNothing(),
        ExpectConverted(55.90m, couponOf: "second-order-coupon"),
        Advance("P60D"),
        ExpectNothing());

    [Fact]
    public void coupon_code_typed_in_lower_case_at_a_shopify_checkout_is_still_attributed() => FollowUp.Run(
        At("2026-04-06T13:00Z", Order("o1", 40m)),
        At("2026-04-08T18:30Z", Delivered("o1")),
        AdvanceTo("2026-04-12T10:00 America/New_York"),
        Expect(ThankYouWithCoupon("2026-04-12T10:00 America/New_York")),
        At("2026-04-17T20:00Z", Order("o2", 55.90m).UsingCode("FREESHIP").UsingCouponOf("second-order-coupon", typedInLowerCase: true)),
        ExpectConverted(55.90m, couponOf: "second-order-coupon"));

    [Fact]
    public void second_order_without_the_coupon_converts_unattributed() => FollowUp.Run(
        At("2026-04-06T13:00Z", Order("o1", 40m)),
        At("2026-04-08T18:30Z", Delivered("o1")),
        AdvanceTo("2026-04-12T10:00 America/New_York"),
        Expect(ThankYouWithCoupon("2026-04-12T10:00 America/New_York")),
        At("2026-04-17T20:00Z", Order("o2", 80m).UsingCode("SPRING5")),
        ExpectConverted(80m, couponOf: null));

    [Fact]
    public void second_order_before_the_thank_you_ends_the_journey_and_nothing_is_sent() => FollowUp.Run(
        At("2026-04-06T13:00Z", Order("o1", 40m)),
        At("2026-04-08T18:30Z", Delivered("o1")),
        At("2026-04-09T16:00Z", Order("o2", 25m)),
        ExpectConverted(25m, couponOf: null),
        Advance("P60D"),
        ExpectNothing());

    [Theory]
    [InlineData(null)]
    [InlineData("not_subscribed")]
    [InlineData("unsubscribed")]
    [InlineData("pending")]
    public void customer_without_marketing_consent_gets_no_coupon_nor_email_and_the_history_says_why(string? consent) =>
        FollowUp.For(Customer.Ana with { Consent = consent }).Run(
            At("2026-04-06T13:00Z", Order("o1", 40m)),
            At("2026-04-08T18:30Z", Delivered("o1")),
            AdvanceTo("2026-04-12T10:00 America/New_York"),
            ExpectNothing(),
            ExpectHistory("can-email", "branched", "otherwise → cannot-email"),
            ExpectStatus(InstanceStatus.Exited, "exit step 'cannot-email'"),
            Advance("P60D"),
            ExpectNothing());

    [Fact]
    public void consent_given_before_the_send_time_gets_the_thank_you() =>
        FollowUp.For(Customer.Ana with { Consent = "not_subscribed" }).Run(
            At("2026-04-06T13:00Z", Order("o1", 40m)),
            At("2026-04-08T18:30Z", Delivered("o1")),
            At("2026-04-10T09:00Z", ConsentChanged("subscribed")),
            AdvanceTo("2026-04-12T10:00 America/New_York"),
            Expect(ThankYouWithCoupon("2026-04-12T10:00 America/New_York")));

    [Fact]
    public void another_first_order_after_a_cancelled_one_never_starts_a_second_run() => FollowUp.Run(
        At("2026-04-06T13:00Z", Order("o1", 40m)),
        At("2026-04-08T18:30Z", Delivered("o1")),
        AdvanceTo("2026-04-12T10:00 America/New_York"),
        Expect(ThankYouWithCoupon("2026-04-12T10:00 America/New_York")),
        Advance("P30D"),
        ExpectStatus(InstanceStatus.Exited, "exit step 'done'"),
        At("2026-05-20T12:00Z", Cancelled("o1")),
        At("2026-05-21T12:00Z", Order("o2", 30m)),
        At("2026-05-22T12:00Z", Delivered("o2")),
        Advance("P60D"),
        ExpectNothing(),
        ExpectStatus(InstanceStatus.Exited, "exit step 'done'", run: 1));

    [Theory]
    [InlineData("2026-03-29T13:00Z")] // 8 days before it arrived: past maxEventAge P7D
    [InlineData("2026-03-07T13:00Z")] // 30 days: an import of history
    public void old_imported_first_order_starts_nothing(string occurred) => FollowUp.Run(
        At("2026-04-06T13:00Z", Order("o1", 40m).OccurredAt(occurred)),
        ExpectNoRun(),
        At("2026-04-07T13:00Z", Delivered("o1")),
        Advance("P60D"),
        ExpectNothing(),
        ExpectNoRun());

    // A backfill of the customer's order history arriving while the follow-up waits makes
    // orderCount 2; an order placed before the run began is not its conversion.
    [Fact]
    public void old_imported_order_is_not_credited_as_a_conversion() => FollowUp.Run(
        At("2026-04-06T13:00Z", Order("o1", 40m)),
        At("2026-04-07T13:00Z", Order("o0", 25m).OccurredAt("2025-09-01T12:00Z")),
        ExpectNotConverted(),
        ExpectStatus(InstanceStatus.Active),
        At("2026-04-08T18:30Z", Delivered("o1")),
        AdvanceTo("2026-04-12T10:00 America/New_York"),
        Expect(ThankYouWithCoupon("2026-04-12T10:00 America/New_York")));

    [Fact]
    public void first_order_reported_six_days_late_still_starts_the_follow_up() => FollowUp.Run(
        At("2026-04-06T13:00Z", Order("o1", 40m).OccurredAt("2026-03-31T13:00Z")),
        ExpectWaiting("wait-for-delivery", "2026-04-20T13:00Z"),
        At("2026-04-08T18:30Z", Delivered("o1")),
        AdvanceTo("2026-04-12T10:00 America/New_York"),
        Expect(ThankYouWithCoupon("2026-04-12T10:00 America/New_York")));

    [Fact]
    public void coupon_that_cannot_be_issued_still_sends_the_thank_you_without_a_coupon() =>
        FollowUp.Failing(a => a.Kind == ActionKinds.IssueCoupon ? "pool second-order-10 is exhausted" : null).Run(
            At("2026-04-06T13:00Z", Order("o1", 40m)),
            At("2026-04-08T18:30Z", Delivered("o1")),
            AdvanceTo("2026-04-12T10:00 America/New_York"),
            Expect(
                Coupon(10).At("2026-04-12T10:00 America/New_York"),
                Email("first-order-thank-you").At("2026-04-12T10:00 America/New_York").WithoutCoupon()),
            ExpectHistory("second-order-coupon", "couponFailed", "pool second-order-10 is exhausted"),
            ExpectHistory("thank-you-without-coupon", "emailQueued"));

    [Fact]
    public void email_the_provider_refuses_is_recorded_and_the_run_goes_on() =>
        FollowUp.Failing(a => a.Kind == ActionKinds.SendEmail ? "mailbox unavailable" : null).Run(
            At("2026-04-06T13:00Z", Order("o1", 40m)),
            At("2026-04-08T18:30Z", Delivered("o1")),
            AdvanceTo("2026-04-12T10:00 America/New_York"),
            Expect(ThankYouWithCoupon("2026-04-12T10:00 America/New_York")),
            ExpectHistory("thank-you", "emailFailed", "mailbox unavailable"),
            ExpectWaiting("while-coupon-valid", "2026-05-12T14:00Z"));

    [Fact]
    public void customer_without_an_email_address_gets_no_coupon() =>
        FollowUp.For(Customer.Ana with { Email = null }).Run(
            At("2026-04-06T13:00Z", Order("o1", 40m)),
            At("2026-04-08T18:30Z", Delivered("o1")),
            AdvanceTo("2026-04-12T10:00 America/New_York"),
            ExpectNothing(),
            ExpectHistory("can-email", "branched", "otherwise → cannot-email"));

    [Fact]
    public void cancelled_first_order_gets_no_thank_you() => FollowUp.Run(
        At("2026-04-06T13:00Z", Order("o1", 40m)),
        At("2026-04-07T13:00Z", Cancelled("o1")),
        Advance("P30D"),
        ExpectNothing(),
        ExpectStatus(InstanceStatus.Exited, "exit step 'order-cancelled'"));
}
