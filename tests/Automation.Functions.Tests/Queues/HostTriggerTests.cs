using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Functions.Queues;
using Automation.Functions.Tests.Http;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Queues;

/// <summary>
/// <c>POST /ProcessEvents</c> with the payloads the Functions host sends a custom handler for a Service Bus
/// trigger (<c>"dataType": "binary"</c>): the body base64 in <c>Data.message</c>, metadata strings and numbers
/// JSON-encoded a second time. 2xx completes, non-2xx abandons, what can never succeed is parked and completed.
/// </summary>
public sealed class HostTriggerTests : IAsyncLifetime
{
    private TestApp _app = null!;
    private DateTimeOffset Now => _app.Clock.GetUtcNow();

    private readonly TimerWatch _timers = new();

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(watchClock: _timers.Over);
    }

    /// <summary>The test clock, telling when the app starts waiting on it (so the test moves time only then).</summary>
    private sealed class TimerWatch
    {
        public TaskCompletionSource Created { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TimeProvider Over(TimeProvider clock) => new Watched(clock, this);

        private sealed class Watched(TimeProvider clock, TimerWatch watch) : TimeProvider
        {
            public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();
            public override long GetTimestamp() => clock.GetTimestamp();
            public override long TimestampFrequency => clock.TimestampFrequency;
            public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

            public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
            {
                var timer = clock.CreateTimer(callback, state, dueTime, period);
                watch.Created.TrySetResult();
                return timer;
            }
        }
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private CustomerEvent Order(string id, string store = "custom", string customer = "id:7") =>
        new(id, store, customer, EventTypes.OrderPlaced, Now, Now, "api", new CustomerFacts("7", "ana@example.com"), new OrderFacts("o-" + id, 25m));

    /// <summary>As the host sends it: every metadata value a JSON string holding JSON again.</summary>
    private static HttpRequestMessage Invocation(byte[]? body, string messageId, int deliveryCount, JsonNode? data = null)
    {
        var payload = new JsonObject
        {
            ["Data"] = data ?? new JsonObject { ["message"] = body is null ? null : Convert.ToBase64String(body) },
            ["Metadata"] = new JsonObject
            {
                ["MessageId"] = JsonSerializer.Serialize(messageId),
                ["DeliveryCount"] = JsonSerializer.Serialize(deliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ["SessionId"] = JsonSerializer.Serialize("custom|id:7"),
                ["EnqueuedTimeUtc"] = "2026-11-02T09:00:00Z",
                ["sys"] = new JsonObject { ["MethodName"] = ServiceBusTriggerEndpoint.FunctionName },
            },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + ServiceBusTriggerEndpoint.FunctionName)
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        return request;
    }

    private async Task<(HttpStatusCode Status, JsonElement Answer)> InvokeAsync(HttpRequestMessage request)
    {
        var (status, body) = await _app.SendAsync(request);
        return (status, JsonDocument.Parse(body).RootElement.Clone());
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(4, 40)]
    [InlineData(5, 60)]
    [InlineData(40, 60)]
    public void the_wait_before_abandoning_doubles_per_delivery_up_to_a_minute(long delivery, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ServiceBusTriggerEndpoint.RetryWait(delivery, 5));

    private static string Log(JsonElement answer) => answer.GetProperty("Logs")[0].GetString()!;

    [Fact]
    public async Task a_base64_event_with_double_encoded_metadata_is_applied_and_completed_once()
    {
        var body = EventJson.Serialize(Order("api-1"));

        var (status, answer) = await InvokeAsync(Invocation(body, "m-1", 1));
        var (again, second) = await InvokeAsync(Invocation(body, "m-1", 2));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Object, answer.GetProperty("Outputs").ValueKind);
        Assert.Equal("applied", Log(answer));
        Assert.Equal((HttpStatusCode.OK, "duplicate: applied before"), (again, Log(second)));
        Assert.Equal(1, (await _app.CustomerAsync("custom", "7"))!.Value.GetProperty("orderCount").GetInt32());
    }

    [Fact]
    public async Task a_failure_that_may_pass_is_abandoned_until_the_last_delivery_then_parked()
    {
        // A delivery naming only an order nobody has placed yet: it may arrive later, so it is retried.
        var body = EventJson.Serialize(Order("api-d") with { Type = EventTypes.OrderDelivered, CustomerKey = CustomerKey.ForOrder("unknown-order"), Customer = null });

        // Service Bus would redeliver at once: the handler holds the message for the first retry delay (5 s) before abandoning it.
        var call = InvokeAsync(Invocation(body, "m-d", 1));
        await _timers.Created.Task.WaitAsync(TimeSpan.FromSeconds(30)); // real time only if the handler never waits
        _app.Clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.NotSame(call, await Task.WhenAny(call, Task.Delay(50)));
        _app.Clock.Advance(TimeSpan.FromSeconds(0.1));
        var (first, answer) = await call.WaitAsync(TimeSpan.FromSeconds(30)); // real time only if the wait never ends
        var (last, parkedAnswer) = await InvokeAsync(Invocation(body, "m-d", 5));

        Assert.Equal(HttpStatusCode.InternalServerError, first);
        Assert.StartsWith("delivery 1 failed, to be retried", Log(answer), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, last);
        Assert.StartsWith("parked:", Log(parkedAnswer), StringComparison.Ordinal);
        var parked = Assert.Single(await _app.Get<ParkedMessages>().ListAsync(10, default));
        Assert.Equal(("m-d", 5L), (parked.MessageId, parked.Attempts));
        Assert.Contains("has not been seen yet", parked.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not an event")]
    [InlineData("{\"id\": 1}")]
    public async Task a_message_that_is_not_an_event_is_parked_and_completed_at_once(string text)
    {
        var (status, answer) = await InvokeAsync(Invocation(Encoding.UTF8.GetBytes(text), "m-x", 1));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("parked: not a canonical event", Log(answer), StringComparison.Ordinal);
        Assert.Equal(text, Assert.Single(await _app.Get<ParkedMessages>().ListAsync(10, default)).Body);
    }

    [Fact]
    public async Task an_event_for_a_store_not_configured_is_parked_with_that_reason()
    {
        var (status, _) = await InvokeAsync(Invocation(EventJson.Serialize(Order("api-s", store: "gone")), "m-s", 1));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("store 'gone' is not configured", Assert.Single(await _app.Get<ParkedMessages>().ListAsync(10, default)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_invocation_without_the_message_or_not_json_is_parked_not_retried_forever()
    {
        var (missing, answer) = await InvokeAsync(Invocation(null, "m-n", 1, data: new JsonObject()));
        var broken = new HttpRequestMessage(HttpMethod.Post, "/" + ServiceBusTriggerEndpoint.FunctionName) { Content = new StringContent("{\"Data\":", Encoding.UTF8, "application/json") };
        var (notJson, _) = await InvokeAsync(broken);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (missing, notJson));
        Assert.Equal("parked: the invocation has no Data.message", Log(answer));
        Assert.Equal(2, (await _app.Get<ParkedMessages>().ListAsync(10, default)).Count);
    }

    [Fact]
    public async Task a_plain_json_body_is_read_too_when_the_trigger_is_not_binary()
    {
        var text = Encoding.UTF8.GetString(EventJson.Serialize(Order("api-t")));

        var (status, answer) = await InvokeAsync(Invocation(null, "m-t", 1, data: new JsonObject { ["message"] = text }));

        Assert.Equal((HttpStatusCode.OK, "applied"), (status, Log(answer)));
    }

    [Fact]
    public async Task the_minute_timer_trigger_sweeps_due_timers_and_answers_in_the_hosts_shape()
    {
        await _app.Get<Automation.Functions.Storage.TimerTable>().ArmAsync("custom", "id:7",
            [new Automation.Core.Journeys.Engine.JourneyTimer("welcome", "1-1", Now.AddMinutes(-1))], default);
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + Automation.Functions.Journeys.TimerTriggerEndpoint.FunctionName)
        {
            Content = new StringContent("""{"Data":{"timer":{"Schedule":{},"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json"),
        };

        var (status, answer) = await InvokeAsync(request);

        Assert.Equal((HttpStatusCode.OK, "swept 1 timer(s)"), (status, Log(answer)));
        Assert.True(answer.TryGetProperty("ReturnValue", out _));
    }

    [Fact]
    public async Task the_daily_housekeeping_trigger_forgets_SendGrid_markers_past_the_retry_window_and_keeps_the_rest()
    {
        var log = _app.Get<Automation.Functions.Webhooks.SendGrid.ProviderEventLog>();
        // Now is 2026-11-02 09:00Z: SendGrid may still redeliver events of 10-30 (three days back), so markers from 10-29 on stay.
        var markers = new[] { ("custom", "20261027"), ("custom", "20261028"), ("custom", "20261029"), ("custom", "20261102"), ("shop", "20261001") }
            .SelectMany(m => Enumerable.Range(0, 150).Select(i => (Key: Automation.Functions.Webhooks.SendGrid.ProviderEventLog.For("sendgrid", m.Item1, m.Item2, $"sg-{m.Item2}-{i}"), Type: "delivered")))
            .ToList();
        await log.AddNewAsync(markers, Now, new HashSet<Automation.Functions.Webhooks.SendGrid.ProviderEventLog.Key>(), default);
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + Automation.Functions.Housekeeping.HousekeepingEndpoint.FunctionName)
        {
            Content = new StringContent("""{"Data":{"timer":{"Schedule":{},"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json"),
        };

        var (status, answer) = await InvokeAsync(request);

        Assert.Equal((HttpStatusCode.OK, "forgot 450 SendGrid event marker(s) of days before 20261029"), (status, Log(answer)));
        var left = new List<string>();
        await foreach (var row in _app.Get<Automation.Functions.Storage.StorageClients>().Table("providerevents").QueryAsync<Azure.Data.Tables.TableEntity>(select: ["PartitionKey"]))
            left.Add(row.PartitionKey);
        Assert.Equal(["sendgrid|custom|20261029", "sendgrid|custom|20261102"], left.Distinct().Order());
        Assert.Equal(300, left.Count);
    }

    [Fact]
    public async Task an_outbox_check_that_keeps_failing_is_tried_again_later_and_does_not_hold_back_the_other_timers()
    {
        var clients = _app.Get<Automation.Functions.Storage.StorageClients>();
        var timers = _app.Get<Automation.Functions.Storage.TimerTable>();
        // An outbox row nobody can read: its check throws every time.
        await clients.Table("customers").AddEntityAsync(new Azure.Data.Tables.TableEntity("custom|id:bad", "out|1-1") { ["Kind"] = "sendEmail", ["State"] = "pending", ["Doc"] = "{not json" });
        await timers.ArmOutboxCheckAsync("custom", "id:bad", "1-1", Now.AddMinutes(-2), default);
        await timers.ArmAsync("custom", "id:7", [new Automation.Core.Journeys.Engine.JourneyTimer("welcome", "1-1", Now.AddMinutes(-1))], default);
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + Automation.Functions.Journeys.TimerTriggerEndpoint.FunctionName)
        {
            Content = new StringContent("""{"Data":{"timer":{"Schedule":{},"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json"),
        };

        var (status, answer) = await InvokeAsync(request);

        Assert.Equal((HttpStatusCode.OK, "swept 2 timer(s)"), (status, Log(answer)));
        Assert.Equal(1, await _app.DrainAsync()); // the other customer's wake-up went out
        Assert.Equal(Now + Automation.Functions.Journeys.TimerSweeper.RetryFailedAfter, await timers.EarliestDueAsync(Now.AddHours(1), default));
    }
}
