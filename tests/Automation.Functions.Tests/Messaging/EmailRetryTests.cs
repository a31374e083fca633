using Automation.Functions.Journeys.Outbox;
using Automation.Functions.Tests.Email;
using Automation.Functions.Tests.JourneyRuntime;

namespace Automation.Functions.Tests.Messaging;

/// <summary>What a failed send does next: wait for the send window, or stop when the email may already have gone.</summary>
public sealed class EmailRetryTests
{
    private const string ApiKey = "SG.quiet-test-key";

    [Fact]
    public async Task a_retry_that_falls_in_quiet_hours_waits_for_the_window_without_spending_an_attempt()
    {
        await using var sendGrid = await SendGridListener.StartAsync(ApiKey);
        await using var kit = await RuntimeKit.StartAsync(new()
        {
            ["Automation:SendGrid:ApiKey"] = ApiKey,
            ["Automation:SendGrid:Host"] = sendGrid.Host,
            ["Automation:SendGrid:FromEmail"] = "hello@custom.example",
            // The first attempt (09:00 UTC, the store's zone) is in the window; its retry a minute later is not.
            ["Automation:Stores:custom:Messaging:SendWindowStart"] = "09:00",
            ["Automation:Stores:custom:Messaging:SendWindowEnd"] = "09:01",
        });
        await kit.InstallAsync(JourneyRuntimeTests.Welcome);
        sendGrid.AnswerServerError();
        await kit.PostAsync(RuntimeKit.Order("api-1", "o1", kit.App.Clock.GetUtcNow()));
        await kit.AdvanceAsync("P1D");
        var firstTry = kit.App.Clock.GetUtcNow();
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero), firstTry);

        await kit.AdvanceAsync("PT1M");

        Assert.Single(sendGrid.Requests);
        var row = Assert.Single(await kit.OutboxAsync());
        Assert.Equal(firstTry.AddDays(1), row.GetDateTimeOffset(OutboxDispatcher.RetryAtColumn));
        Assert.Equal(1, row.GetInt32("Attempts"));

        await kit.AdvanceAsync("P1D");

        Assert.Equal([500, 202], sendGrid.Requests.Select(r => r.Status));
        Assert.Contains((await kit.InstanceAsync("welcome"))!.History, h => h.Outcome == "emailSent");
    }

    [Fact]
    public async Task a_marketing_email_whose_request_got_no_answer_is_not_sent_again()
    {
        await using var sendGrid = await SendGridListener.StartAsync(ApiKey);
        await using var kit = await RuntimeKit.StartAsync(new()
        {
            ["Automation:SendGrid:ApiKey"] = ApiKey,
            ["Automation:SendGrid:Host"] = sendGrid.Host,
            ["Automation:SendGrid:FromEmail"] = "hello@custom.example",
        });
        await kit.InstallAsync(JourneyRuntimeTests.Welcome);
        sendGrid.AnswerByDroppingTheConnection();
        await kit.PostAsync(RuntimeKit.Order("api-1", "o1", kit.App.Clock.GetUtcNow()));

        await kit.AdvanceAsync("P1D");
        await kit.AdvanceAsync("P1D");

        Assert.Single(sendGrid.Requests);
        Assert.Empty(await kit.OutboxAsync());
        Assert.Contains((await kit.InstanceAsync("welcome"))!.History, h => h.Outcome == "emailFailed" && h.Detail!.Contains("not sent again (at most once)", StringComparison.Ordinal));
    }
}
