using Automation.Core.Journeys.Engine;
using static Automation.Core.Tests.Journeys.Scenarios.Rows;

namespace Automation.Core.Tests.Journeys.Scenarios;

/// <summary>
/// The send policy as the journeys meet it, with the default store policy (1 marketing email in
/// 16 hours, 4 in 30 days, 09:00-21:00 in the recipient's zone) and a store on New York time
/// (EST, UTC-5, in winter). Besides the shipped journeys, two written here: a flash sale and a
/// digest, each one marketing email at once when its event comes.
/// </summary>
public sealed class SendPolicyScenarios
{
    private static string OneEmail(string id, string trigger, string template, int? priority = null, string? whenCapped = null) => $$"""
        { "schemaVersion": 1, "id": "{{id}}", "name": "{{id}}", "trigger": { "event": "{{trigger}}" },
          {{(priority is { } p ? $"\"priority\": {p}," : "")}}
          "steps": [
            { "id": "send", "type": "sendEmail", "template": "{{template}}", {{(whenCapped is { } w ? $"\"whenCapped\": \"{w}\"," : "")}} "next": "done" },
            { "id": "done", "type": "exit" } ] }
        """;

    private static readonly string FlashSale = OneEmail("flash-sale", "sale.started", "first-order-thank-you", priority: 80);

    private static string Digest(int? priority = null, string trigger = "sale.started", string? whenCapped = null) =>
        OneEmail("aaa-digest", trigger, "complaint-thank-you", priority, whenCapped);

    [Fact]
    public void win_back_email_due_at_03_00_local_is_sent_at_09_00_local_and_the_preview_shows_why() =>
        Scenario.Of(ShippedJourneys.Dormancy).Run(
            At("2026-01-05T03:00 America/New_York", Order("o1", 40m)),
            AdvanceTo("2026-02-04T03:00 America/New_York"),
            Expect(Coupon(20).At("2026-02-04T03:00 America/New_York")),
            ExpectHistory("email-20", "deferred", "quiet hours: the send window is 09:00-21:00 (America/New_York); until 2026-02-04 09:00 -05:00"),
            ExpectWaiting("email-20", "2026-02-04T09:00 America/New_York"),
            AdvanceTo("2026-02-04T08:59 America/New_York"),
            ExpectNothing(),
            AdvanceTo("2026-02-04T09:00 America/New_York"),
            Expect(Email("winback-20").At("2026-02-04T09:00 America/New_York").WithCoupon(20).AsMarketing()),
            ExpectHistory("email-20", "emailQueued"));

    [Fact]
    public void second_marketing_email_within_16_hours_is_deferred_to_16_hours_after_the_first() =>
        Scenario.Of(ShippedJourneys.Dormancy, "flash-sale").With(FlashSale).Run(
            At("2026-01-05T15:00Z", Order("o1", 40m)),
            At("2026-02-04T00:00Z", Custom("sale.started")),
            Expect(Email("first-order-thank-you").At("2026-02-04T00:00Z")),
            AdvanceTo("2026-02-04T15:00Z"),
            Expect(Coupon(20).At("2026-02-04T15:00Z")),
            ExpectHistory("email-20", "deferred", "capped: at most 1 marketing email in 16 hours"),
            AdvanceTo("2026-02-04T15:59Z"),
            ExpectNothing(),
            AdvanceTo("2026-02-04T16:00Z"),
            Expect(Email("winback-20").At("2026-02-04T16:00Z").WithCoupon(20)));

    [Fact]
    public void a_win_back_email_deferred_past_its_coupons_expiry_is_skipped_rather_than_sent_with_a_dead_code() =>
        Scenario.Of(ShippedJourneys.Dormancy, "flash-sale").With(FlashSale)
            .InStore(Scenario.DefaultStore with { Policy = new() { Caps = [new(TimeSpan.FromDays(20), 1)] } })
            .Run(
                At("2026-01-05T15:00Z", Order("o1", 40m)),
                At("2026-02-04T14:00Z", Custom("sale.started")),
                Expect(Email("first-order-thank-you").At("2026-02-04T14:00Z")),
                AdvanceTo("2026-02-04T15:00Z"),
                Expect(Coupon(20).At("2026-02-04T15:00Z")),
                ExpectHistory("email-20", "skipped", "too soon after the email could go out"),
                Advance("P25D"),
                ExpectNothing());

    [Fact]
    public void when_capped_skip_skips_the_email_with_the_reason_and_goes_on() =>
        Scenario.Of("aaa-digest", "flash-sale").With(FlashSale, Digest(trigger: "digest.due", whenCapped: "skip")).Run(
            At("2026-02-04T15:00Z", Custom("sale.started")),
            Expect(Email("first-order-thank-you").At("2026-02-04T15:00Z")),
            At("2026-02-04T18:00Z", Custom("digest.due")),
            ExpectNothing(),
            ExpectHistory("send", "skipped", "capped: at most 1 marketing email in 16 hours"),
            ExpectStatus(InstanceStatus.Exited, "exit step 'done'"),
            Advance("P2D"),
            ExpectNothing());

    [Theory]
    [InlineData(null, "flash-sale")]
    [InlineData(90, "aaa-digest")]
    public void two_journeys_started_by_one_event_take_the_slot_in_priority_order(int? digestPriority, string first)
    {
        var (winner, loser) = first == "flash-sale" ? ("first-order-thank-you", "complaint-thank-you") : ("complaint-thank-you", "first-order-thank-you");
        Scenario.Of("aaa-digest", "flash-sale").With(FlashSale, Digest(digestPriority)).Run(
            At("2026-02-04T15:00Z", Custom("sale.started")),
            Expect(Email(winner).At("2026-02-04T15:00Z")),
            ExpectHistoryOf(first == "flash-sale" ? "aaa-digest" : "flash-sale", "send", "deferred", "capped: at most 1 marketing email in 16 hours; quiet hours"),
            AdvanceTo("2026-02-05T08:59 America/New_York"),
            ExpectNothing(),
            AdvanceTo("2026-02-05T09:00 America/New_York"),
            Expect(Email(loser).At("2026-02-05T09:00 America/New_York")));
    }

    // The digest is deferred first, so its timer fires first; the flash sale, deferred to the same
    // opening, is handled in that same decision and, being higher, takes the slot.
    [Fact]
    public void deferred_emails_falling_due_together_go_in_priority_order_whichever_timer_fires_first() =>
        Scenario.Of("aaa-digest", "flash-sale").With(FlashSale, Digest(trigger: "digest.due")).Run(
            At("2026-02-04T02:00 America/New_York", Custom("digest.due")),
            At("2026-02-04T03:00 America/New_York", Custom("sale.started")),
            ExpectNothing(),
            AdvanceTo("2026-02-04T09:00 America/New_York"),
            Expect(Email("first-order-thank-you").At("2026-02-04T09:00 America/New_York")),
            ExpectHistory("send", "deferred", "capped"),
            AdvanceTo("2026-02-05T09:00 America/New_York"),
            Expect(Email("complaint-thank-you").At("2026-02-05T09:00 America/New_York")));

    [Fact]
    public void unsubscribing_from_all_email_stops_the_survey_though_it_is_a_service_message() =>
        Scenario.Of(ShippedJourneys.Survey).Run(
            At("2026-05-12T19:00Z", ComplaintClosed("c-17")),
            At("2026-05-12T22:00Z", UnsubscribedFromAll()),
            AdvanceTo("2026-05-20T15:00Z"),
            ExpectNothing(),
            ExpectHistory("survey", "skipped", "suppressed: unsubscribed"),
            ExpectHistory("reminder", "skipped", "suppressed: unsubscribed"));

    [Fact]
    public void a_bounced_address_gets_no_survey() =>
        Scenario.Of(ShippedJourneys.Survey).Run(
            At("2026-05-12T19:00Z", ComplaintClosed("c-17")),
            At("2026-05-12T22:00Z", Suppressed("bounced")),
            AdvanceTo("2026-05-14T15:00Z"),
            ExpectNothing(),
            ExpectHistory("survey", "skipped", "suppressed: bounced"));

    [Fact]
    public void opting_out_of_the_win_back_still_gets_the_survey() =>
        Scenario.Of(ShippedJourneys.Dormancy, ShippedJourneys.Survey).Run(
            At("2026-04-20T15:00Z", Order("o1", 40m)),
            At("2026-04-21T15:00Z", OptedOutOf(ShippedJourneys.Dormancy)),
            At("2026-05-12T19:00Z", ComplaintClosed("c-17")),
            AdvanceTo("2026-05-13T10:00 America/New_York"),
            Expect(Email("complaint-survey").At("2026-05-13T10:00 America/New_York").AsSurvey()),
            AdvanceTo("2026-05-20T15:00Z"),
            Expect(Email("complaint-survey-reminder").AsSurvey(), Coupon(20).At("2026-05-20T15:00Z")),
            ExpectHistory("email-20", "skipped", "suppressed: opted out of journey 'dormancy-win-back'"));
}
