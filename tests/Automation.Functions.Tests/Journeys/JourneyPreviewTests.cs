using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Functions.Email;
using Automation.Functions.Tests.Infrastructure;
using static Automation.Functions.Tests.Http.HttpKit;
using static Automation.Functions.Tests.Journeys.JourneyApiKit;

namespace Automation.Functions.Tests.Journeys;

/// <summary><c>POST /api/journeys/preview</c>: the engine on a virtual clock, for one made-up customer, storing and sending nothing.</summary>
public sealed class JourneyPreviewTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Ana in Madrid orders on 10 January (a Saturday); the order arrives on the 12th.</summary>
    private static JsonObject FirstOrder() => new()
    {
        ["definition"] = JsonNode.Parse(ShippedFile("first-order-follow-up.json")),
        ["customer"] = new JsonObject
        {
            ["email"] = "ana@example.com", ["firstName"] = "Ana", ["timeZone"] = "Europe/Madrid", ["consent"] = "subscribed",
        },
        ["events"] = new JsonArray(
            new JsonObject { ["type"] = "order.placed", ["at"] = "2026-01-10T12:00:00Z", ["order"] = new JsonObject { ["id"] = "1001", ["total"] = 40 } },
            new JsonObject { ["type"] = "order.delivered", ["at"] = "2026-01-12T15:00:00Z", ["order"] = new JsonObject { ["id"] = "1001" } }),
        ["until"] = "2026-06-01T00:00:00Z",
    };

    private Task<JsonElement> PreviewAsync(JsonObject body) =>
        _app.OkAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/preview", body.ToJsonString()));

    private Task<JsonElement> RefusedAsync(JsonObject body, params string[] mentions) =>
        _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/preview", body.ToJsonString()), HttpStatusCode.BadRequest, mentions);

    [Fact]
    public async Task the_first_order_journey_sends_the_thank_you_email_with_a_coupon_at_ten_in_the_customers_morning()
    {
        var preview = await PreviewAsync(FirstOrder());

        // Delivered on the 12th at 16:00 Madrid; three days later is the 15th at 16:00, so the next 10:00 is the 16th (09:00 UTC).
        var email = Assert.Single(preview.GetProperty("emails").EnumerateArray());
        Assert.Equal(("thank-you", "first-order-thank-you"), (email.Text("step"), email.Text("template")));
        Assert.Equal(DateTimeOffset.Parse("2026-01-16T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), email.GetProperty("at").GetDateTimeOffset());
        var coupon = email.GetProperty("coupon");
        Assert.Equal(10m, coupon.GetProperty("percentOff").GetDecimal());
        Assert.StartsWith("THANKS10-", coupon.Text("code"), StringComparison.Ordinal);
        Assert.Equal(email.GetProperty("at").GetDateTimeOffset().AddDays(30), coupon.GetProperty("expiresAt").GetDateTimeOffset());

        var issued = Assert.Single(preview.GetProperty("coupons").EnumerateArray());
        Assert.Equal(("second-order-coupon", "second-order-10"), (issued.Text("step"), issued.Text("pool")));
        Assert.Empty(preview.GetProperty("notifications").EnumerateArray());

        var steps = preview.GetProperty("timeline").EnumerateArray().Select(t => (t.Text("step"), t.Text("outcome"))).ToList();
        Assert.Equal(("wait-for-delivery", "entered"), steps[0]);
        Assert.Contains(("wait-for-delivery", "received"), steps);
        Assert.Contains(("can-email", "branched"), steps);
        var waits = preview.GetProperty("waits").EnumerateArray().ToList();
        Assert.Equal(["wait-for-delivery", "three-days-later", "at-ten", "while-coupon-valid"], waits.Select(w => w.Text("step")));
        Assert.Equal("received", waits[0].Text("endedBy"));
        Assert.Equal(preview.GetProperty("emails")[0].GetProperty("at").GetDateTimeOffset(), waits[2].GetProperty("to").GetDateTimeOffset());
        // The email's result arrives during the 30-day wait; the wait still ends when its timer fires.
        Assert.Equal(("woke", "2026-02-15T09:00:00+00:00"), (waits[3].Text("endedBy"), waits[3].Text("to")));

        var final = preview.GetProperty("final");
        Assert.Equal(("first-order-follow-up", 1, "exited", "done"), (final.Text("journey"), final.GetProperty("version").GetInt32(), final.Text("status"), final.Text("step")));
        Assert.Equal("second-order-coupon", Assert.Single(final.GetProperty("coupons").EnumerateArray()).Text("step"));
    }

    [Fact]
    public async Task a_preview_touches_no_table_and_no_queue_and_sends_nothing()
    {
        var before = await _app.JourneyTextAsync("first-order-follow-up");
        _app.Counter.Reset();

        await PreviewAsync(FirstOrder());

        Assert.Equal(0, _app.Counter.Total);
        Assert.Empty(await _app.Get<CapturedEmails>().ListAsync("shop", null, 10, default));
        Assert.Equal(before, await _app.JourneyTextAsync("first-order-follow-up"));
    }

    [Fact]
    public async Task a_customer_without_consent_gets_no_email_and_an_earlier_order_keeps_them_out()
    {
        var noConsent = FirstOrder();
        noConsent["customer"]!["consent"] = "unsubscribed";
        var unsubscribed = await PreviewAsync(noConsent);
        Assert.Empty(unsubscribed.GetProperty("emails").EnumerateArray());
        Assert.Equal("cannot-email", unsubscribed.GetProperty("final").Text("step"));

        var returning = FirstOrder();
        returning["customer"]!["orders"] = new JsonArray(new JsonObject { ["id"] = "900", ["placedAt"] = "2025-06-01T10:00:00Z", ["total"] = 25 });
        var second = await PreviewAsync(returning);
        Assert.Empty(second.GetProperty("timeline").EnumerateArray());
        Assert.False(second.TryGetProperty("final", out _));
    }

    [Fact]
    public async Task without_a_zone_of_their_own_the_customer_gets_the_stores_and_an_unknown_store_is_named()
    {
        var body = FirstOrder();
        body["customer"]!.AsObject().Remove("timeZone");
        body["storeId"] = "custom";

        var preview = await PreviewAsync(body);

        // The custom store is on London time, UTC in January: 10:00 local is 10:00 UTC.
        Assert.Equal("2026-01-16T10:00:00+00:00", preview.GetProperty("emails")[0].Text("at"));
        body["storeId"] = "nowhere";
        await RefusedAsync(body, "$.storeId", "nowhere");
    }

    [Fact]
    public async Task a_journey_that_loops_every_minute_is_stopped_after_a_bounded_number_of_wake_ups()
    {
        var body = FirstOrder();
        body["definition"] = JsonNode.Parse("""
            {
              "schemaVersion": 1, "id": "ticker", "name": "Ticker", "trigger": { "event": "order.placed" },
              "steps": [
                { "id": "tick", "type": "wait", "duration": "PT1M", "next": "tag" },
                { "id": "tag", "type": "updateProfile", "addTags": ["ticked"], "next": "tick" }
              ]
            }
            """);
        body["until"] = "2027-12-31T00:00:00Z";

        var preview = await PreviewAsync(body);

        Assert.Contains("10000 wake-ups", preview.Text("stopped"), StringComparison.Ordinal);
        Assert.Equal("active", preview.GetProperty("final").Text("status"));
    }

    [Fact]
    public async Task an_invalid_definition_is_refused_with_its_problems_under_definition()
    {
        var body = FirstOrder();
        body["definition"]!["steps"]![1]!["duration"] = "three days";

        var problem = await RefusedAsync(body, "$.definition.steps[1].duration");

        Assert.Single(Errors(problem));
    }

    [Fact]
    public async Task bad_events_are_named_by_their_path()
    {
        var body = FirstOrder();
        var events = body["events"]!.AsArray();
        events.Add(new JsonObject { ["type"] = "product.viewed", ["at"] = "2026-01-11" });
        events.Add(new JsonObject { ["type"] = "order.paid", ["at"] = "2026-01-11T10:00:00Z" });
        events.Add(new JsonObject { ["type"] = "email.sent", ["at"] = "2026-01-13T10:00:00Z", ["colour"] = "red" });
        events.Add(new JsonObject { ["type"] = "product.viewed", ["at"] = "2026-01-01T10:00:00Z" });

        var errors = Errors(await RefusedAsync(body));

        Assert.Contains(errors, e => e.StartsWith("$.events[2].at: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.events[3].order: is required for order.paid", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.events[4].type: ", StringComparison.Ordinal) && e.Contains("engine", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.events[4].colour: unknown field", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.events[5].at: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task the_customer_and_the_period_are_checked_field_by_field()
    {
        var body = FirstOrder();
        body["customer"]!["timeZone"] = "Mars/Olympus";
        body["customer"]!["consent"] = "yes please";
        body["customer"]!["shoeSize"] = 42;
        body["until"] = "2028-06-01T00:00:00Z";
        body["extra"] = true;

        var errors = Errors(await RefusedAsync(body));

        Assert.Equal(
            ["$.customer.consent", "$.customer.shoeSize", "$.customer.timeZone", "$.extra", "$.until"],
            errors.Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
        Assert.Contains(errors, e => e.Contains("2 years", StringComparison.Ordinal));
    }

    [Fact]
    public async Task at_most_1000_events_are_previewed()
    {
        var body = FirstOrder();
        body["events"] = new JsonArray([.. Enumerable.Range(0, 1001).Select(i => (JsonNode)new JsonObject { ["type"] = "product.viewed", ["at"] = "2026-01-10T12:00:00Z" })]);

        await RefusedAsync(body, "$.events", "1000");
    }

    [Fact]
    public async Task a_preview_body_that_is_not_an_object_or_lacks_its_parts_is_refused()
    {
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/preview", "[]"), HttpStatusCode.BadRequest, "must be an object");
        var errors = Errors(await RefusedAsync(new JsonObject()));
        Assert.Contains(errors, e => e.StartsWith("$.definition: is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.events: is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.until: is required", StringComparison.Ordinal));
    }
}
