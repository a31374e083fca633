using Automation.Functions.Journeys.Outbox;
using Automation.Functions.Tests.Email;
using Automation.Functions.Tests.JourneyRuntime;

namespace Automation.Functions.Tests.Messaging;

/// <summary>A retry after a provider failure that would fall in the recipient's quiet hours waits for the window.</summary>
public sealed class QuietHoursRetryTests
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
}
