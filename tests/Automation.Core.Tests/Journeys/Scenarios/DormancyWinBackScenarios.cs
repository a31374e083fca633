using Automation.Core.Journeys.Engine;
using static Automation.Core.Tests.Journeys.Scenarios.Rows;

namespace Automation.Core.Tests.Journeys.Scenarios;

/// <summary>
/// journeys/dormancy-win-back.json: every order (re)starts it; 30 days without an order → 20%
/// coupon valid 14 days; 60 days → 30%; 180 days → tagged dormant; an order is the goal.
/// Ana's first order is on 2026-01-05 at 15:00 UTC (day 0).
/// </summary>
public sealed class DormancyWinBackScenarios
{
    private static Scenario WinBack => Scenario.Of(ShippedJourneys.Dormancy);

    private const string Day0 = "2026-01-05T15:00Z", Day30 = "2026-02-04T15:00Z", Day45 = "2026-02-19T15:00Z";
    private const string Day60 = "2026-03-06T15:00Z", Day75 = "2026-03-21T15:00Z", Day180 = "2026-07-04T15:00Z";

    private static ExpectedAction[] TwentyPercent(string at) =>
        [Coupon(20).At(at).ValidFor("P14D"), Email("winback-20").At(at).WithCoupon(20).AsMarketing()];

    private static ExpectedAction[] ThirtyPercent(string at) =>
        [Coupon(30).At(at).ValidFor("P14D"), Email("winback-30").At(at).WithCoupon(30).AsMarketing()];

    [Fact]
    public void dormant_customer_gets_20_percent_at_day_30_30_percent_at_day_60_and_the_dormant_tag_at_day_180() => WinBack.Run(
        At(Day0, Order("o1", 40m)),
        ExpectNothing(),
        AdvanceTo("2026-02-04T14:59Z"),
        ExpectNothing(),
        AdvanceTo(Day30),
        Expect(TwentyPercent(Day30)),
        AdvanceTo("2026-03-06T14:59Z"),
        ExpectNothing(),
        AdvanceTo(Day60),
        Expect(ThirtyPercent(Day60)),
        AdvanceTo("2026-07-04T14:59Z"),
        ExpectNotTagged("dormant"),
        AdvanceTo(Day180),
        ExpectNothing(),
        ExpectTagged("dormant"),
        ExpectStatus(InstanceStatus.Exited, "exit step 'done'"),
        Advance("P365D"),
        ExpectNothing());

    [Fact]
    public void a_bounced_address_gets_no_win_back_coupon_that_no_email_could_carry() => WinBack.Run(
        At(Day0, Order("o1", 40m)),
        At("2026-01-10T15:00Z", Suppressed("bounced")),
        AdvanceTo(Day30),
        ExpectNothing(),
        AdvanceTo(Day60),
        ExpectNothing());

    [Fact]
    public void every_order_starts_the_30_days_again() => WinBack.Run(
        At(Day0, Order("o1", 40m)),
        At("2026-01-15T15:00Z", Order("o2", 20m)),
        At("2026-01-25T15:00Z", Order("o3", 35m)),
        AdvanceTo("2026-02-24T14:59Z"),
        ExpectNothing(),
        AdvanceTo("2026-02-24T15:00Z"),
        Expect(TwentyPercent("2026-02-24T15:00Z")),
        ExpectStatus(InstanceStatus.Active, run: 3));

    [Fact]
    public void order_on_day_45_with_the_20_percent_code_restarts_the_clock_from_that_order() => WinBack.Run(
        At(Day0, Order("o1", 40m)),
        AdvanceTo(Day30),
        Expect(TwentyPercent(Day30)),
        At(Day45, Order("o2", 60m).UsingCouponOf("coupon-20")),
        ExpectNothing(),
        ExpectStatus(InstanceStatus.Active, run: 2),
        AdvanceTo(Day60),
        ExpectNothing(),
        AdvanceTo("2026-03-21T14:59Z"),
        ExpectNothing(),
        AdvanceTo(Day75),
        Expect(TwentyPercent(Day75)));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void order_on_day_45_ends_the_run_as_a_conversion_attributed_only_when_it_used_the_code(bool usedTheCode) => WinBack.Run(
        At(Day0, Order("o1", 40m)),
        AdvanceTo(Day30),
        Expect(TwentyPercent(Day30)),
        At(Day45, usedTheCode ? Order("o2", 60m).UsingCouponOf("coupon-20") : Order("o2", 60m).UsingCode("SPRING5")),
        ExpectConverted(60m, couponOf: usedTheCode ? "coupon-20" : null, run: 1));

    [Fact]
    public void ordering_again_after_being_tagged_dormant_removes_the_tag_and_starts_over() => WinBack.Run(
        At(Day0, Order("o1", 40m)),
        AdvanceTo(Day30),
        Expect(TwentyPercent(Day30)),
        AdvanceTo(Day60),
        Expect(ThirtyPercent(Day60)),
        AdvanceTo(Day180),
        ExpectTagged("dormant"),
        At("2026-07-24T15:00Z", Order("o2", 70m)),
        ExpectNotTagged("dormant"),
        ExpectHistory("active-again", "tagged", "-dormant", run: 2),
        AdvanceTo("2026-08-23T15:00Z"),
        Expect(TwentyPercent("2026-08-23T15:00Z")));

    [Fact]
    public void customer_without_marketing_consent_gets_no_coupons_but_is_still_tagged_dormant() =>
        WinBack.For(Customer.Ana with { Consent = "unsubscribed" }).Run(
            At(Day0, Order("o1", 40m)),
            AdvanceTo(Day60),
            ExpectNothing(),
            ExpectHistory("can-email-20", "branched", "otherwise → sixty-days"),
            ExpectHistory("can-email-30", "branched", "otherwise → one-eighty-days"),
            AdvanceTo(Day180),
            ExpectNothing(),
            ExpectTagged("dormant"));

    [Fact]
    public void customer_without_an_email_address_gets_no_coupons() =>
        WinBack.For(Customer.Ana with { Email = null }).Run(
            At(Day0, Order("o1", 40m)),
            AdvanceTo(Day180),
            ExpectNothing(),
            ExpectHistory("can-email-20", "branched", "otherwise → sixty-days"),
            ExpectTagged("dormant"));

    [Fact]
    public void failed_20_percent_coupon_sends_no_email_and_the_30_percent_still_follows() =>
        WinBack.Failing(a => a.Pool == "winback-20" ? "discount API returned 500" : null).Run(
            At(Day0, Order("o1", 40m)),
            AdvanceTo(Day30),
            Expect(Coupon(20).At(Day30)),
            ExpectHistory("coupon-20", "couponFailed", "discount API returned 500"),
            ExpectWaiting("sixty-days", Day60),
            AdvanceTo(Day60),
            Expect(ThirtyPercent(Day60)));

    [Fact]
    public void old_imported_order_starts_nothing() => WinBack.Run(
        At(Day30, Order("o1", 40m).OccurredAt(Day0)),
        ExpectNoRun(),
        Advance("P200D"),
        ExpectNothing(),
        ExpectNotTagged("dormant"));

    [Fact]
    public void old_imported_order_does_not_end_the_live_run() => WinBack.Run(
        At(Day0, Order("o1", 40m)),
        At("2026-01-15T15:00Z", Order("o0", 25m).OccurredAt("2025-09-01T12:00Z")),
        ExpectStatus(InstanceStatus.Active, run: 1),
        AdvanceTo(Day30),
        Expect(TwentyPercent(Day30)));

    // An order placed after the run began but reported more than maxEventAge (P2D) late ends the
    // run as a conversion and, being newer than that run's trigger, is late news rather than an
    // import: it starts the next run.
    [Fact]
    public void order_reported_four_days_late_still_starts_the_next_30_days() => WinBack.Run(
        At(Day0, Order("o1", 40m)),
        At("2026-01-10T15:00Z", Order("o2", 30m).OccurredAt("2026-01-06T15:00Z")),
        ExpectConverted(30m, couponOf: null, run: 1),
        AdvanceTo("2026-02-10T15:00Z"),
        Expect(Coupon(20).ValidFor("P14D"), Email("winback-20").WithCoupon(20)));
}
