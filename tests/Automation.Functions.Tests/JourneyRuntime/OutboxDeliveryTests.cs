using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Journeys.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.JourneyRuntime;

/// <summary>
/// What the outbox delivers, checked at the wire: the notify webhook against a local listener that
/// checks each request, and the at-least-once rule for service emails.
/// </summary>
public sealed class OutboxDeliveryTests : IAsyncLifetime
{
    private const string Survey = """
        {
          "schemaVersion": 1, "id": "survey", "name": "Survey",
          "trigger": { "event": "complaint.closed" },
          "steps": [
            { "id": "ask", "type": "sendEmail", "template": "complaint-survey", "category": "service", "delivery": "atLeastOnce", "next": "answer" },
            { "id": "answer", "type": "waitForEvent", "event": "survey.answered", "timeout": "P3D", "next": "score", "onTimeout": "done" },
            { "id": "score", "type": "branch",
              "branches": [ { "condition": { "field": "event.data.score", "op": "lte", "value": 2 }, "next": "tell" } ],
              "otherwise": "done" },
            { "id": "tell", "type": "notify", "webhook": "desk", "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """;

    private WebApplication _desk = null!;
    private readonly ConcurrentQueue<(HttpStatusCode Answer, string? Key, string? ContentType, string Body)> _received = new();
    private readonly ConcurrentQueue<HttpStatusCode> _answers = new();
    private RuntimeKit _kit = null!;

    public async Task InitializeAsync()
    {
        (_desk, var address) = await LoopbackServer.StartAsync(desk => desk.MapPost("/desk", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            var answer = _answers.TryDequeue(out var a) ? a : HttpStatusCode.Accepted;
            _received.Enqueue((answer, request.Headers["Idempotency-Key"].FirstOrDefault(), request.ContentType, body));
            return Results.StatusCode((int)answer);
        }));
        _kit = await RuntimeKit.StartAsync(new() { ["Automation:Webhooks:desk:Url"] = address + "/desk" });
        await _kit.InstallAsync(Survey);
    }

    public async Task DisposeAsync()
    {
        await _kit.DisposeAsync();
        await _desk.DisposeAsync();
    }

    private DateTimeOffset Now => _kit.App.Clock.GetUtcNow();

    private CustomerEvent Complaint() => new("api-c1", RuntimeKit.Store, "id:7", EventTypes.ComplaintClosed, Now, Now, "api",
        new CustomerFacts(ExternalId: "7", Email: "ana@example.com"), Data: new JsonObject { ["complaintId"] = "c-9" });

    private CustomerEvent Answer(int score) => new("api-s1", RuntimeKit.Store, "id:7", EventTypes.SurveyAnswered, Now, Now, "api",
        Data: new JsonObject { ["score"] = score });

    [Fact]
    public async Task a_low_score_posts_the_complaint_and_the_score_to_the_support_webhook()
    {
        await _kit.PostAsync(Complaint());
        await _kit.PostAsync(Answer(1));

        var (_, key, contentType, body) = Assert.Single(_received);
        Assert.Equal(ActionKey.For(RuntimeKit.Store, "id:7", "survey.1.3"), key); // unique across customers, names no one
        Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("survey", (string?)json["journey"]);
        Assert.Equal("tell", (string?)json["step"]);
        Assert.Equal("ana@example.com", (string?)json["customer"]!["email"]);
        Assert.Equal("c-9", (string?)json["trigger"]!["data"]!["complaintId"]);
        Assert.Equal(1, (int?)json["received"]!["answer"]!["data"]!["score"]);
        Assert.Equal(1, (int?)json["event"]!["data"]!["score"]);
        var instance = await _kit.InstanceAsync("survey");
        Assert.Contains(instance!.History, h => h.Outcome == "notified" && h.Detail == "202");
        Assert.Empty(await _kit.OutboxAsync());
    }

    [Fact]
    public async Task two_customers_reaching_the_same_step_get_different_idempotency_keys()
    {
        foreach (var customer in new[] { "id:7", "id:8" })
        {
            await _kit.PostAsync(Complaint() with { Id = "c-" + customer, CustomerKey = customer });
            await _kit.PostAsync(Answer(1) with { Id = "s-" + customer, CustomerKey = customer });
        }

        Assert.Equal(2, _received.Select(r => r.Key).Distinct().Count());
        Assert.Equal(2, (await _kit.EmailsAsync()).Select(e => e.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task a_failing_webhook_is_retried_with_the_same_idempotency_key_until_it_answers()
    {
        _answers.Enqueue(HttpStatusCode.ServiceUnavailable);
        _answers.Enqueue(HttpStatusCode.InternalServerError);
        await _kit.PostAsync(Complaint());
        await _kit.PostAsync(Answer(2));
        Assert.Single(_received);
        Assert.Equal(1, Assert.Single(await _kit.OutboxAsync()).GetInt32("Attempts"));

        await _kit.AdvanceAsync("PT1H");

        Assert.Equal(3, _received.Count);
        Assert.Single(_received.Select(r => r.Key).Distinct());
        Assert.Empty(await _kit.OutboxAsync());
        Assert.Contains((await _kit.InstanceAsync("survey"))!.History, h => h.Outcome == "notified");
    }

    [Fact]
    public async Task a_webhook_that_refuses_the_request_is_recorded_as_failed_without_retrying()
    {
        _answers.Enqueue(HttpStatusCode.BadRequest);
        await _kit.PostAsync(Complaint());
        await _kit.PostAsync(Answer(1));
        await _kit.AdvanceAsync("PT1H");

        Assert.Single(_received);
        Assert.Contains((await _kit.InstanceAsync("survey"))!.History, h => h.Outcome == "notifyFailed" && h.Detail!.Contains("400", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_service_email_interrupted_mid_send_is_sent_again_when_at_least_once()
    {
        var dispatcher = _kit.App.Get<OutboxDispatcher>();
        var crashes = 1;
        dispatcher.FaultPoint = (point, a) => point == "after-call" && a.Kind == ActionKinds.SendEmail && crashes-- > 0 ? throw new IOException("crash") : Task.CompletedTask;

        await _kit.PostAsync(Complaint());
        Assert.Single((await _kit.EmailsAsync()));
        await _kit.AdvanceAsync("PT3M");

        Assert.Equal(2, (await _kit.EmailsAsync()).Count);
        Assert.Empty(await _kit.OutboxAsync());
        Assert.Equal("answer", (await _kit.InstanceAsync("survey"))!.StepId);
    }
}
