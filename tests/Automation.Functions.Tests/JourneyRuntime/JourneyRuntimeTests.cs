using System.Net;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Events;
using Automation.Functions.Journeys;
using Automation.Functions.Storage;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.JourneyRuntime;

/// <summary>Journeys running for real: Azurite tables and queue, the timers table and sweeper, the outbox, the dev clock.</summary>
public sealed class JourneyRuntimeTests : IAsyncLifetime
{
    public const string Welcome = """
        {
          "schemaVersion": 1, "id": "welcome", "name": "Welcome",
          "trigger": { "event": "order.placed" },
          "reentry": { "mode": "once" },
          "goals": [ { "id": "second", "event": "order.placed" } ],
          "steps": [
            { "id": "a-day", "type": "wait", "duration": "P1D", "next": "coupon" },
            { "id": "coupon", "type": "issueCoupon", "pool": "ten", "next": "email" },
            { "id": "email", "type": "sendEmail", "template": "first-order-thank-you", "coupon": "coupon", "next": "linger" },
            { "id": "linger", "type": "wait", "duration": "P10D", "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """;

    private RuntimeKit _kit = null!;
    private DateTimeOffset T0 => _kit.App.Clock.GetUtcNow();

    public async Task InitializeAsync()
    {
        _kit = await RuntimeKit.StartAsync();
        await _kit.InstallAsync(Welcome);
    }

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    private static string Json(JourneyInstance? i) => System.Text.Json.JsonSerializer.Serialize(i, EventJson.Options);

    [Fact]
    public async Task an_order_starts_the_journey_and_its_timer_sends_the_coupon_email_a_day_later()
    {
        await _kit.PostAsync(RuntimeKit.Order("api-1", "o1", T0));

        var waiting = await _kit.InstanceAsync("welcome");
        Assert.Equal("a-day", waiting!.StepId);
        Assert.Equal(T0.AddDays(1), waiting.WakeAt);
        var timer = Assert.Single(await _kit.TimersAsync());
        Assert.Equal(T0.AddDays(1).UtcDateTime.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture), timer.PartitionKey[..12]);
        Assert.Empty((await _kit.EmailsAsync()));

        await _kit.AdvanceAsync("PT23H");
        Assert.Empty((await _kit.EmailsAsync()));
        await _kit.AdvanceAsync("PT1H");

        var email = Assert.Single((await _kit.EmailsAsync()));
        Assert.Equal("first-order-thank-you", email.Template);
        Assert.StartsWith("TEN-", RuntimeKit.CouponCode(email));
        var instance = await _kit.InstanceAsync("welcome");
        Assert.Equal("linger", instance!.StepId);
        Assert.Contains(instance.History, h => h.Outcome == "emailSent");
        Assert.Empty(await _kit.OutboxAsync());
    }

    [Fact]
    public async Task two_customers_on_the_same_step_get_different_coupon_codes()
    {
        await _kit.PostAsync(RuntimeKit.Order("api-1", "o1", T0, customer: "id:7"));
        await _kit.PostAsync(RuntimeKit.Order("api-2", "o2", T0, customer: "id:8"));
        await _kit.AdvanceAsync("P1D");

        Assert.Equal(2, (await _kit.EmailsAsync()).Select(e => RuntimeKit.CouponCode(e)).Distinct().Count());
    }

    [Fact]
    public async Task a_goal_ends_the_instance_and_its_late_timer_does_nothing()
    {
        await _kit.PostAsync(RuntimeKit.Order("api-1", "o1", T0));
        await _kit.PostAsync(RuntimeKit.Order("api-2", "o2", T0.AddHours(1)));

        var converted = await _kit.InstanceAsync("welcome");
        Assert.Equal(InstanceStatus.Converted, converted!.Status);
        Assert.Equal(40m, converted.Conversion!.Revenue);
        var table = _kit.App.Get<StorageClients>().Table(StorageClients.CustomersTable);
        var row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(Automation.Core.Customers.CustomerKey.Partition(RuntimeKit.Store, "id:7"), "run|welcome|000001")).Value;
        Assert.Equal(InstanceStatus.Converted, row.GetString("Status"));
        Assert.Equal("40", row.GetString("Revenue"));
        Assert.Equal("second", row.GetString("Goal"));

        _kit.App.Counter.Reset();
        var moved = await _kit.AdvanceAsync("P2D");
        Assert.True(moved.GetProperty("fired").GetInt32() >= 1);
        Assert.Empty((await _kit.EmailsAsync()));
        Assert.Equal(Json(converted), Json(await _kit.InstanceAsync("welcome")));
    }

    [Fact]
    public async Task a_crash_between_arming_the_timer_and_the_transaction_loses_nothing_and_acts_once()
    {
        var processor = _kit.App.Get<EventProcessor>();
        var crashes = 1;
        processor.FaultPoint = (point, _) => point == "before-commit" && crashes-- > 0 ? throw new IOException("crash") : Task.CompletedTask;

        await _kit.PostAsync(RuntimeKit.Order("api-1", "o1", T0));
        Assert.Null(await _kit.InstanceAsync("welcome"));
        await _kit.App.DrainAsync(); // the queue redelivers the event

        Assert.Equal("a-day", (await _kit.InstanceAsync("welcome"))!.StepId);
        Assert.Single(await _kit.TimersAsync()); // the same timer row, armed twice
        await _kit.AdvanceAsync("P1D");
        Assert.Single((await _kit.EmailsAsync()));
    }

    [Fact]
    public async Task a_crash_between_the_transaction_and_the_dispatch_is_dispatched_by_the_outbox_check()
    {
        await _kit.PostAsync(RuntimeKit.Order("api-1", "o1", T0));
        var processor = _kit.App.Get<EventProcessor>();
        var crashes = 1;
        processor.FaultPoint = (point, e) => point == "after-commit" && e.Type == EventTypes.JourneyWakeUp && crashes-- > 0 ? throw new IOException("crash") : Task.CompletedTask;

        await _kit.AdvanceAsync("P1D");
        var pending = Assert.Single(await _kit.OutboxAsync());
        Assert.Equal(ActionKinds.IssueCoupon, pending.GetString("Kind"));
        Assert.Equal("coupon", (await _kit.InstanceAsync("welcome"))!.StepId);

        await _kit.AdvanceAsync("PT3M");
        Assert.Single((await _kit.EmailsAsync()));
        Assert.Empty(await _kit.OutboxAsync());
        Assert.Equal("linger", (await _kit.InstanceAsync("welcome"))!.StepId);
    }

    [Fact]
    public async Task an_email_interrupted_mid_send_is_not_sent_again_when_at_most_once()
    {
        await _kit.PostAsync(RuntimeKit.Order("api-1", "o1", T0));
        var dispatcher = _kit.App.Get<Automation.Functions.Journeys.Outbox.OutboxDispatcher>();
        var crashes = 1;
        dispatcher.FaultPoint = (point, a) => point == "after-call" && a.Kind == ActionKinds.SendEmail && crashes-- > 0 ? throw new IOException("crash") : Task.CompletedTask;

        await _kit.AdvanceAsync("P1D");
        Assert.Single((await _kit.EmailsAsync()));
        Assert.Equal("sending", Assert.Single(await _kit.OutboxAsync()).GetString("State"));

        await _kit.AdvanceAsync("PT3M");
        Assert.Single((await _kit.EmailsAsync()));
        Assert.Empty(await _kit.OutboxAsync());
        var instance = await _kit.InstanceAsync("welcome");
        Assert.Contains(instance!.History, h => h.Outcome == "emailFailed" && h.Detail!.Contains("at most once", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_coupon_issue_interrupted_after_the_call_is_retried_with_the_same_code()
    {
        await _kit.PostAsync(RuntimeKit.Order("api-1", "o1", T0));
        var dispatcher = _kit.App.Get<Automation.Functions.Journeys.Outbox.OutboxDispatcher>();
        var codes = new List<string>();
        var crashes = 1;
        dispatcher.FaultPoint = (point, a) => point == "before-result" && a.Kind == ActionKinds.IssueCoupon && crashes-- > 0 ? throw new IOException("crash") : Task.CompletedTask;

        await _kit.AdvanceAsync("P1D");
        Assert.Empty((await _kit.EmailsAsync()));
        await _kit.AdvanceAsync("PT3M");

        var email = Assert.Single((await _kit.EmailsAsync()));
        var instance = await _kit.InstanceAsync("welcome");
        Assert.Equal(RuntimeKit.CouponCode(email), Assert.Single(instance!.Coupons).Value.Code);
        Assert.Single(instance.History, h => h.Outcome == "couponIssued");
    }

    [Fact]
    public async Task a_redelivered_wake_up_acts_once()
    {
        await _kit.PostAsync(RuntimeKit.Order("api-1", "o1", T0));
        var timer = (await _kit.InstanceAsync("welcome"))!;
        var wake = EngineEvents.WakeUp(RuntimeKit.Store, "id:7", "welcome", timer.Token!, timer.WakeAt!.Value, T0);
        _kit.App.Clock.Advance(TimeSpan.FromDays(1));

        var processor = _kit.App.Get<EventProcessor>();
        Assert.Equal(ProcessOutcome.Applied, await processor.ProcessAsync(wake, default));
        var afterFirst = Json(await _kit.InstanceAsync("welcome"));
        _kit.App.Counter.Reset();
        await processor.ProcessAsync(wake, default); // the instance no longer holds that token: nothing to do
        Assert.Single((await _kit.EmailsAsync()));
        Assert.Equal(afterFirst, Json(await _kit.InstanceAsync("welcome")));
        Assert.Equal(0, _kit.App.Counter.TableWrites);
    }

    [Fact]
    public async Task a_paused_journey_holds_its_instances_and_resume_lets_them_go_on()
    {
        await _kit.PostAsync(RuntimeKit.Order("api-1", "o1", T0));
        var store = _kit.App.Get<JourneyStore>();
        await store.SetStatusAsync("welcome", "paused", default);

        await _kit.AdvanceAsync("P1D");
        var held = await _kit.InstanceAsync("welcome");
        Assert.Equal("a-day", held!.StepId);
        Assert.Equal("held", held.History[^1].Outcome);
        Assert.Empty((await _kit.EmailsAsync()));

        await store.SetStatusAsync("welcome", "active", default);
        await _kit.AdvanceAsync("PT1H");
        Assert.Single((await _kit.EmailsAsync()));
    }

    [Fact]
    public async Task processed_markers_are_cleared_once_past_every_redelivery_window()
    {
        await _kit.PostAsync(RuntimeKit.Order("api-1", "o1", T0));
        var housekeeping = Assert.Single(await _kit.TimersAsync(TimerTable.Housekeep));
        Assert.Equal(T0.AddDays(9), housekeeping.GetDateTimeOffset("DueAt"));
        await _kit.PostAsync(RuntimeKit.Order("api-2", "o2", T0.AddHours(1)));
        Assert.Single(await _kit.TimersAsync(TimerTable.Housekeep)); // armed once per period, not per event
        var early = await _kit.MarkersAsync();

        await _kit.AdvanceAsync("P8DT12H");
        var recent = RuntimeKit.Order("api-3", "o3", _kit.App.Clock.GetUtcNow());
        await _kit.PostAsync(recent);
        await _kit.AdvanceAsync("PT12H");

        var left = await _kit.MarkersAsync();
        Assert.DoesNotContain(early[0], left);
        Assert.Contains(CustomerTable.MarkerPrefix + recent.Id, left);
        Assert.Equal(ProcessOutcome.Duplicate, await _kit.App.Get<EventProcessor>().ProcessAsync(recent, default));
        Assert.Single(await _kit.TimersAsync(TimerTable.Housekeep)); // the next period's
    }

    [Fact]
    public async Task moving_the_dev_clock_first_applies_the_events_already_queued_at_the_time_they_came()
    {
        // Queued but not yet consumed, as when the clock is moved right after the events API answered.
        var start = T0;
        await _kit.App.Get<Automation.Functions.Queues.IEventQueue>().PublishAsync([RuntimeKit.Order("api-1", "o1", start)], default);

        await _kit.AdvanceAsync("P1D");

        Assert.Single(await _kit.EmailsAsync());
        Assert.Equal(start, (await _kit.InstanceAsync("welcome"))!.StartedAt);
    }

    [Fact]
    public async Task the_dev_clock_tells_the_time_and_refuses_a_bad_request()
    {
        var now = await _kit.App.Http.SendAsync(_kit.App.Keyed(HttpMethod.Get, "/api/dev/clock"));
        Assert.Equal(HttpStatusCode.OK, now.StatusCode);
        Assert.Contains("2026-11-02T09:00:00", await now.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        foreach (var bad in new[] { """{"advance": "P1M"}""", """{"advance": "-P1D"}""", """{"advanse": "P1D"}""", "[1]", "{" })
        {
            var response = await _kit.App.Http.SendAsync(_kit.App.Keyed(HttpMethod.Post, "/api/dev/clock", bad));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero), _kit.App.Clock.GetUtcNow());
    }

    [Fact]
    public async Task with_the_system_clock_the_dev_clock_does_not_exist()
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.Http.SendAsync(app.Keyed(HttpMethod.Get, "/api/dev/clock"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        response = await app.Http.SendAsync(app.Keyed(HttpMethod.Post, "/api/dev/clock", """{"advance": "P1D"}"""));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
