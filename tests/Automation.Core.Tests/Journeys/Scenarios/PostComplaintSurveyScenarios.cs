using Automation.Core.Journeys.Engine;
using static Automation.Core.Tests.Journeys.Scenarios.Rows;

namespace Automation.Core.Tests.Journeys.Scenarios;

/// <summary>
/// journeys/post-complaint-survey.json: complaint closed → next day at 10:00 local, a 1-5 survey
/// (a service message) → no answer in 3 days, one reminder → a score of 2 or less notifies the
/// support desk with the complaint and the score, 4 or more gets a thank-you. Complaint c-17 is
/// closed on Tuesday 2026-05-12 at 15:00 New York time.
/// </summary>
public sealed class PostComplaintSurveyScenarios
{
    private static Scenario Survey => Scenario.Of(ShippedJourneys.Survey);

    private const string Closed = "2026-05-12T19:00Z";
    private const string SurveyAt = "2026-05-13T10:00 America/New_York";
    private const string ReminderAt = "2026-05-16T10:00 America/New_York";

    /// <summary>When the survey goes out, by when the complaint was closed and where the customer lives.</summary>
    public static TheoryData<string, string?, string, string> SendTimes => new()
    {
        // case,                                             zone stated,  closed,              survey at
        { "afternoon: next morning",                         null,         "2026-05-12T19:00Z", "2026-05-13T10:00 America/New_York" },
        { "08:00: next morning, not the same day",           null,         "2026-05-12T12:00Z", "2026-05-13T10:00 America/New_York" },
        { "23:30: the morning after, 10:30 hours later",     null,         "2026-05-13T03:30Z", "2026-05-13T10:00 America/New_York" },
        { "00:30: the next day's morning",                   null,         "2026-05-12T04:30Z", "2026-05-13T10:00 America/New_York" },
        { "Tokyo customer: the next morning in Tokyo",       "Asia/Tokyo", "2026-05-12T19:00Z", "2026-05-14T10:00 Asia/Tokyo" },
        // PT10H is elapsed time: 23:30 EST plus 10 hours is 10:30 EDT on the spring-forward day,
        // past 10:00, so the survey waits for the morning after (34.5 hours, not the next morning).
        { "spring forward overnight skips a morning",        null,         "2026-03-08T04:30Z", "2026-03-09T10:00 America/New_York" },
    };

    [Theory]
    [MemberData(nameof(SendTimes))]
    public void survey_goes_out_the_next_day_at_10_local(string @case, string? zone, string closed, string surveyAt)
    {
        Assert.NotEmpty(@case);
        Survey.For(Customer.Ana with { TimeZone = zone }).Run(
            At(closed, ComplaintClosed("c-17")),
            AdvanceTo(Times.Utc(Times.Parse(surveyAt).AddMinutes(-1))),
            ExpectNothing(),
            AdvanceTo(surveyAt),
            Expect(Email("complaint-survey").At(surveyAt).AsSurvey()));
    }

    [Fact]
    public void score_of_1_notifies_the_support_desk_with_the_complaint_and_the_score() => Survey.Run(
        At(Closed, ComplaintClosed("c-17")),
        AdvanceTo(SurveyAt),
        Expect(Email("complaint-survey").At(SurveyAt).AsSurvey()),
        At("2026-05-13T20:00Z", SurveyAnswered(1)),
        Expect(Notify("support-desk").At("2026-05-13T20:00Z")
            .WithBody("trigger.data.complaintId", "c-17")
            .WithBody("received.await-answer.data.score", 1)
            .WithBody("customer.email", "ana@example.com")),
        ExpectStatus(InstanceStatus.Exited, "exit step 'done'"),
        Advance("P30D"),
        ExpectNothing());

    [Theory]
    [InlineData(1, "support")]
    [InlineData(2, "support")]
    [InlineData(3, "nothing")]
    [InlineData(4, "thank-you")]
    [InlineData(5, "thank-you")]
    public void the_score_decides_between_support_nothing_and_a_thank_you(int score, string outcome)
    {
        ExpectedAction[] expected = outcome switch
        {
            "support" => [Notify("support-desk").At("2026-05-14T13:00Z").WithBody("received.await-answer.data.score", score)],
            "thank-you" => [Email("complaint-thank-you").At("2026-05-14T13:00Z").AsService()],
            _ => [],
        };
        Survey.Run(
            At(Closed, ComplaintClosed("c-17")),
            AdvanceTo(SurveyAt),
            Expect(Email("complaint-survey").At(SurveyAt).AsSurvey()),
            At("2026-05-14T13:00Z", SurveyAnswered(score)),
            Expect(expected),
            ExpectStatus(InstanceStatus.Exited, "exit step 'done'"),
            Advance("P30D"),
            ExpectNothing());
    }

    [Fact]
    public void no_answer_gets_exactly_one_reminder_then_nothing() => Survey.Run(
        At(Closed, ComplaintClosed("c-17")),
        AdvanceTo(SurveyAt),
        Expect(Email("complaint-survey").At(SurveyAt).AsSurvey()),
        AdvanceTo("2026-05-16T13:59Z"),
        ExpectNothing(),
        AdvanceTo(ReminderAt),
        Expect(Email("complaint-survey-reminder").At(ReminderAt).AsSurvey()),
        AdvanceTo("2026-05-23T14:00Z"),
        ExpectNothing(),
        ExpectStatus(InstanceStatus.Exited, "exit step 'no-answer'"),
        Advance("P60D"),
        ExpectNothing());

    [Fact]
    public void answer_after_the_reminder_still_reaches_support() => Survey.Run(
        At(Closed, ComplaintClosed("c-17")),
        AdvanceTo(ReminderAt),
        Expect(
            Email("complaint-survey").At(SurveyAt).AsSurvey(),
            Email("complaint-survey-reminder").At(ReminderAt).AsSurvey()),
        At("2026-05-18T15:00Z", SurveyAnswered(2)),
        Expect(Notify("support-desk").At("2026-05-18T15:00Z")
            .WithBody("trigger.data.complaintId", "c-17")
            .WithBody("received.await-late-answer.data.score", 2)),
        ExpectStatus(InstanceStatus.Exited, "exit step 'done'"));

    [Fact]
    public void answer_after_the_reminder_with_a_high_score_gets_the_thank_you() => Survey.Run(
        At(Closed, ComplaintClosed("c-17")),
        AdvanceTo(ReminderAt),
        Expect(
            Email("complaint-survey").At(SurveyAt).AsSurvey(),
            Email("complaint-survey-reminder").At(ReminderAt).AsSurvey()),
        At("2026-05-20T15:00Z", SurveyAnswered(5)),
        Expect(Email("complaint-thank-you").At("2026-05-20T15:00Z").AsService()));

    [Fact]
    public void answer_after_the_late_window_closed_is_ignored() => Survey.Run(
        At(Closed, ComplaintClosed("c-17")),
        AdvanceTo(ReminderAt),
        Expect(
            Email("complaint-survey").At(SurveyAt).AsSurvey(),
            Email("complaint-survey-reminder").At(ReminderAt).AsSurvey()),
        At("2026-05-24T15:00Z", SurveyAnswered(1)),
        ExpectNothing(),
        ExpectStatus(InstanceStatus.Exited, "exit step 'no-answer'"));

    [Fact]
    public void survey_is_a_service_message_sent_without_marketing_consent() =>
        Survey.For(Customer.Ana with { Consent = "unsubscribed" }).Run(
            At(Closed, ComplaintClosed("c-17")),
            AdvanceTo(SurveyAt),
            Expect(Email("complaint-survey").At(SurveyAt).AsSurvey()));

    [Fact]
    public void another_complaint_closed_within_the_week_gets_no_second_survey() => Survey.Run(
        At(Closed, ComplaintClosed("c-17")),
        AdvanceTo(SurveyAt),
        Expect(Email("complaint-survey").At(SurveyAt).AsSurvey()),
        At("2026-05-14T13:00Z", SurveyAnswered(4)),
        Expect(Email("complaint-thank-you").At("2026-05-14T13:00Z").AsService()),
        At("2026-05-15T19:00Z", ComplaintClosed("c-18")),
        Advance("P10D"),
        ExpectNothing(),
        ExpectStatus(InstanceStatus.Exited, run: 1),
        At("2026-05-26T19:00Z", ComplaintClosed("c-19")),
        AdvanceTo("2026-05-27T10:00 America/New_York"),
        Expect(Email("complaint-survey").At("2026-05-27T10:00 America/New_York").AsSurvey()),
        ExpectStatus(InstanceStatus.Active, run: 2));

    [Fact]
    public void complaint_closed_long_ago_starts_nothing() => Survey.Run(
        At(Closed, ComplaintClosed("c-17").OccurredAt("2026-05-08T19:00Z")),
        ExpectNoRun(),
        Advance("P14D"),
        ExpectNothing());
}
