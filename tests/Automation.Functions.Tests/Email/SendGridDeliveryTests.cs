using System.Net;
using Automation.Functions.Journeys.Outbox;
using Automation.Functions.Tests.JourneyRuntime;

namespace Automation.Functions.Tests.Email;

/// <summary>Journey emails through the whole app to SendGrid (a local listener that checks the v3 contract), and what each answer does.</summary>
public sealed class SendGridDeliveryTests : IAsyncLifetime
{
    private const string ApiKey = "SG.delivery-test-key";
    private SendGridListener _sendGrid = null!;
    private RuntimeKit _kit = null!;
    private DateTimeOffset Now => _kit.App.Clock.GetUtcNow();

    public async Task InitializeAsync()
    {
        _sendGrid = await SendGridListener.StartAsync(ApiKey);
        _kit = await RuntimeKit.StartAsync(new()
        {
            ["Automation:SendGrid:ApiKey"] = ApiKey,
            ["Automation:SendGrid:Host"] = _sendGrid.Host,
            ["Automation:SendGrid:FromEmail"] = "hello@custom.example",
            ["Automation:Stores:custom:UnsubscribeGroupId"] = "777",
        });
        await _kit.InstallAsync(JourneyRuntimeTests.Welcome);
    }

    public async Task DisposeAsync()
    {
        await _kit.DisposeAsync();
        await _sendGrid.DisposeAsync();
    }

    private async Task StartJourneyAndReachTheEmailAsync()
    {
        await _kit.PostAsync(RuntimeKit.Order("api-1", "o1", Now));
        await _kit.AdvanceAsync("P1D");
    }

    private async Task<IReadOnlyList<Core.Journeys.Engine.HistoryEntry>> HistoryAsync() => (await _kit.InstanceAsync("welcome"))!.History;

    [Fact]
    public async Task accepted_email_is_recorded_sent_with_sendgrids_message_id()
    {
        await StartJourneyAndReachTheEmailAsync();

        var request = Assert.Single(_sendGrid.Requests);
        Assert.Empty(request.Violations);
        Assert.Equal(202, request.Status);
        Assert.Contains(await HistoryAsync(), h => h.Outcome == "emailSent" && h.Detail == "sg-1");
        Assert.Empty(await _kit.OutboxAsync());
        var mail = request.Body!;
        var personalization = mail["personalizations"]![0]!;
        Assert.Equal("Thank you for your first order, Ana!", (string?)(mail["subject"] ?? personalization["subject"]));
        Assert.Equal(777, (int?)mail["asm"]!["group_id"]);
        Assert.StartsWith("<https://links.example.test/api/r/unsubscribe/", (string?)(personalization["headers"] ?? mail["headers"])!["List-Unsubscribe"], StringComparison.Ordinal);
        var args = (personalization["custom_args"] ?? mail["custom_args"])!;
        Assert.Equal(("id:7", "welcome", "email", "1", "first-order-thank-you"), ((string?)args["customer"], (string?)args["journey"], (string?)args["step"], (string?)args["run"], (string?)args["template"]));
        Assert.Matches("^act-[0-9a-f]{32}$", (string?)args["send_id"]);
        Assert.Equal("hello@custom.example", (string?)mail["from"]!["email"]);
        Assert.Contains("1 High Street", (string?)mail["content"]![1]!["value"], StringComparison.Ordinal);
        // GET /api/outbox captures nothing when SendGrid sends.
        Assert.Equal(HttpStatusCode.NotFound, (await _kit.App.Http.SendAsync(_kit.App.Keyed(HttpMethod.Get, "/api/outbox?storeId=custom"))).StatusCode);
    }

    [Fact]
    public async Task refused_email_is_recorded_failed_with_sendgrids_error_text_and_not_retried()
    {
        _sendGrid.AnswerBadRequest("The from address does not match a verified Sender Identity.", "from");

        await StartJourneyAndReachTheEmailAsync();
        await _kit.AdvanceAsync("PT2H");

        Assert.Single(_sendGrid.Requests);
        Assert.Contains(await HistoryAsync(), h => h.Outcome == "emailFailed"
            && h.Detail == "400 from SendGrid: The from address does not match a verified Sender Identity. (from)");
        Assert.Empty(await _kit.OutboxAsync());
    }

    [Fact]
    public async Task rate_limited_email_is_retried_at_sendgrids_reset_time()
    {
        await _kit.PostAsync(RuntimeKit.Order("api-1", "o1", Now));
        var emailAt = Now.AddDays(1);
        var reset = emailAt.AddMinutes(10);
        _sendGrid.AnswerTooManyRequests(reset.ToUnixTimeSeconds());

        await _kit.AdvanceAsync("P1D");
        Assert.Single(_sendGrid.Requests);
        var row = Assert.Single(await _kit.OutboxAsync());
        Assert.Equal((1, reset), (row.GetInt32("Attempts"), row.GetDateTimeOffset(OutboxDispatcher.RetryAtColumn)));
        Assert.Equal("pending", row.GetString("State"));

        await _kit.AdvanceAsync("PT9M"); // the outbox check two minutes after the commit leaves it alone
        Assert.Single(_sendGrid.Requests);

        await _kit.AdvanceAsync("PT1M");
        Assert.Equal([429, 202], _sendGrid.Requests.Select(r => r.Status));
        Assert.Contains(await HistoryAsync(), h => h.Outcome == "emailSent" && h.Detail == "sg-1");
        Assert.Empty(await _kit.OutboxAsync());
    }

    [Fact]
    public async Task server_errors_are_retried_with_backoff_until_sendgrid_accepts()
    {
        _sendGrid.AnswerServerError();
        _sendGrid.AnswerServerError(HttpStatusCode.ServiceUnavailable);

        await StartJourneyAndReachTheEmailAsync();
        Assert.Single(_sendGrid.Requests);
        Assert.Equal(Now.AddMinutes(1), Assert.Single(await _kit.OutboxAsync()).GetDateTimeOffset(OutboxDispatcher.RetryAtColumn));

        await _kit.AdvanceAsync("PT1M");
        Assert.Equal(2, _sendGrid.Requests.Count);
        Assert.Equal(Now.AddMinutes(2), Assert.Single(await _kit.OutboxAsync()).GetDateTimeOffset(OutboxDispatcher.RetryAtColumn));

        await _kit.AdvanceAsync("PT2M");
        Assert.Equal([500, 503, 202], _sendGrid.Requests.Select(r => r.Status));
        Assert.All(_sendGrid.Requests, r => Assert.Empty(r.Violations));
        var history = await HistoryAsync();
        Assert.Contains(history, h => h.Outcome == "emailSent");
        Assert.DoesNotContain(history, h => h.Outcome == "emailFailed"); // a transient failure is not recorded as the step's outcome
    }
}
