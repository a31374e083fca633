using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Functions.Recipients;
using Automation.Functions.Storage;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Recipients;

/// <summary>
/// The survey page against the shipped post-complaint survey: a GET (what mail scanners do) records
/// nothing; a POST becomes the survey.answered event the journey waits for.
/// </summary>
public sealed class SurveyTests : IAsyncLifetime
{
    private const string Customer = "id:7", Journey = "post-complaint-survey";
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(new() { ["Automation:Clock"] = "Virtual" });
        await _app.SeedAsync(Customer, "ana@example.com");
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private string Link(string? score = null) =>
        "/api/r/survey/" + _app.Link(LinkPurposes.Survey, Customer, journey: Journey, send: "shop-act-9") + (score is null ? "" : "?score=" + score);

    [Fact]
    public async Task the_link_opens_the_page_with_its_score_chosen_and_records_nothing()
    {
        using var response = await _app.Http.GetAsync(Link("4"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("value=\"4\" checked", html, StringComparison.Ordinal);
        Assert.Equal(1, html.Split(" checked").Length - 1);
        Assert.Contains("<form method=\"post\">", html, StringComparison.Ordinal);
        UnsubscribeTests.AssertPrivateHeaders(response);
        Assert.Equal(0, await _app.DrainAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("9")]
    [InlineData("x")]
    public async Task without_a_valid_score_nothing_is_chosen(string? score)
    {
        var html = await _app.Http.GetStringAsync(Link(score));
        Assert.DoesNotContain(" checked", html, StringComparison.Ordinal);
        Assert.Contains("value=\"5\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_answer_reaches_the_survey_journey_waiting_for_it()
    {
        await StartSurveyAsync();

        using var response = await _app.Http.PostAsync(Link("5"), RecipientKit.Form(("score", "5")));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("change your mind", html, StringComparison.Ordinal);
        var answer = Assert.Single(await _app.QueuedAsync());
        Assert.Equal(EventTypes.SurveyAnswered, answer.Type);
        Assert.Equal((RecipientKit.Store, Customer), (answer.StoreId, answer.CustomerKey));
        Assert.Equal(5, (int?)answer.Data!["score"]);
        Assert.Equal("shop-act-9", (string?)answer.Data["send"]);
        Assert.Equal(Journey, (string?)answer.Data["journey"]);
        Assert.Equal(1, await _app.DrainAsync());

        var instance = (await _app.Get<CustomerTable>().ReadStateAsync(CustomerKey.Partition(RecipientKit.Store, Customer), default)).Journeys.Instances[Journey];
        Assert.NotEqual("await-answer", instance.StepId);
        Assert.Contains(instance.History, h => h.Step == "thank-you"); // the branch saw event.data.score = 5
        Assert.Contains(EventTypes.SurveyAnswered, await _app.AppliedAsync(Customer));
    }

    [Fact]
    public async Task a_changed_answer_is_another_event_and_a_double_click_is_one()
    {
        foreach (var score in new[] { "2", "2", "4" })
        {
            using var response = await _app.Http.PostAsync(Link(), RecipientKit.Form(("score", score)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await _app.DrainAsync();
        Assert.Equal(2, (await _app.AppliedAsync(Customer)).Count(t => t == EventTypes.SurveyAnswered));

        _app.Clock.Advance(TimeSpan.FromMinutes(5));
        using (var again = await _app.Http.PostAsync(Link(), RecipientKit.Form(("score", "2")))) Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await _app.DrainAsync();
        Assert.Equal(3, (await _app.AppliedAsync(Customer)).Count(t => t == EventTypes.SurveyAnswered));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("five")]
    [InlineData("")]
    public async Task a_score_outside_one_to_five_is_refused_and_names_the_score(string score)
    {
        using var response = await _app.Http.PostAsync(Link(), RecipientKit.Form(("score", score)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("score must be a whole number from 1 to 5", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await _app.DrainAsync());
    }

    [Fact]
    public async Task a_bad_survey_link_gets_the_same_page_as_a_bad_unsubscribe_link()
    {
        using var survey = await _app.Http.PostAsync("/api/r/survey/" + _app.Link(LinkPurposes.Unsubscribe, Customer), RecipientKit.Form(("score", "3")));
        using var unsubscribe = await _app.Http.GetAsync("/api/r/unsubscribe/nonsense.token");
        Assert.Equal(HttpStatusCode.BadRequest, survey.StatusCode);
        Assert.Equal(await unsubscribe.Content.ReadAsStringAsync(), await survey.Content.ReadAsStringAsync());
        Assert.Equal(0, await _app.DrainAsync());
    }

    /// <summary>A closed complaint, then the night and the morning: the survey goes out and the journey waits for the answer.</summary>
    private async Task StartSurveyAsync()
    {
        var now = _app.Clock.GetUtcNow();
        await _app.PublishAsync(new CustomerEvent("complaint-1", RecipientKit.Store, Customer, EventTypes.ComplaintClosed, now, now, "api",
            Data: new JsonObject { ["complaintId"] = "c-1" }));
        using var advance = await _app.Http.SendAsync(_app.Keyed(HttpMethod.Post, "/api/dev/clock", """{"advance": "P2D"}"""));
        Assert.Equal(HttpStatusCode.OK, advance.StatusCode);
        var instance = (await _app.Get<CustomerTable>().ReadStateAsync(CustomerKey.Partition(RecipientKit.Store, Customer), default)).Journeys.Instances[Journey];
        Assert.Equal("await-answer", instance.StepId);
    }
}
