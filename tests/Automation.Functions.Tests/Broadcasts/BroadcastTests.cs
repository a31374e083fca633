using System.Net.Http.Json;
using System.Text.Json;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Broadcasts;
using Automation.Functions.Journeys;
using Automation.Functions.Queues;
using Automation.Functions.Storage;
using Automation.Functions.Suppression;
using Automation.Functions.Tests.Email;
using Automation.Functions.Tests.Infrastructure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Functions.Tests.Broadcasts;

/// <summary>
/// A scheduled journey's broadcast through the real app on Azurite: planned from the audience index by the store's
/// market calendars, sent a minute group at a time to SendGrid (a local listener checking the v3 contract) in one
/// request per group, every policy applied per recipient, and once per customer across crashes and re-runs.
/// </summary>
public sealed class BroadcastTests : IAsyncLifetime
{
    private const string ApiKey = "SG.broadcast-test-key";
    private const string Store = "custom";

    private const string Journey = """
        {
          "schemaVersion": 1,
          "id": "holiday-push",
          "name": "Holiday push",
          "trigger": { "schedule": { "holidays": [ { "holiday": "black-friday", "offset": "-P7D" } ], "timeOfDay": "10:00" } },
          "audience": { "all": [
            { "field": "customer.canEmailMarketing", "op": "eq", "value": true },
            { "field": "customer.tier", "op": "in", "value": ["active", "at_risk", "dormant"] } ] },
          "reentry": { "mode": "restart" },
          "goals": [ { "id": "ordered", "event": "order.placed" } ],
          "steps": [
            { "id": "control", "type": "split", "paths": [ { "id": "sent", "weight": 70, "next": "promo" } ], "holdout": { "weight": 30, "next": "window" } },
            { "id": "promo", "type": "sendEmail", "template": "winback-20", "whenCapped": "skip", "next": "window" },
            { "id": "window", "type": "wait", "duration": "P14D", "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """;

    private static readonly JourneyCatalog Catalog = new(new HashSet<string> { "winback-20" }, new Dictionary<string, CouponPool>(), new Dictionary<string, WebhookTarget>());

    // Black Friday 2026 is 27 November: the push is 20 November at 10:00 local, so 09:00Z in Berlin, 10:00Z in London, 15:00Z in New York.
    private static readonly DateTimeOffset PlanTime = new(2026, 11, 19, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Berlin = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset London = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NewYork = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    private SendGridListener _sendGrid = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _sendGrid = await SendGridListener.StartAsync(ApiKey);
        _app = await TestApp.StartAsync(new()
        {
            ["Automation:Clock"] = "Virtual",
            ["Automation:InstallShippedJourneys"] = "false",
            ["Automation:RetryBaseDelaySeconds"] = "0",
            ["Automation:SendGrid:ApiKey"] = ApiKey,
            ["Automation:SendGrid:Host"] = _sendGrid.Host,
            ["Automation:SendGrid:FromEmail"] = "hello@custom.example",
            ["Automation:SendGrid:DynamicTemplates:winback-20:en"] = "d-00000000000000000000000000000001",
            ["Automation:SendGrid:DynamicTemplates:winback-20:de"] = "d-00000000000000000000000000000002",
            ["Automation:Stores:custom:Name"] = "Custom Goods",
            ["Automation:Stores:custom:PhysicalAddress"] = "1 High Street, London N1 1AA",
            ["Automation:Stores:custom:Markets"] = "GB,DE,US",
        }, s => s.AddSingleton(Catalog));
        var read = JourneyReader.Read(Journey, Catalog);
        Assert.True(read.IsValid, string.Join("; ", read.Problems.Select(p => $"{p.Path}: {p.Message}")));
        Assert.True(await _app.Get<JourneyStore>().InstallAsync(read.Definition!, default));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sendGrid.DisposeAsync();
    }

    private int _events;

    /// <summary>A customer with one order on <paramref name="orderedAt"/> (at risk by the push when it is in August).</summary>
    private async Task CustomerAsync(string key, string country, string zone, string locale, string consent = "subscribed", DateTimeOffset? orderedAt = null)
    {
        var at = orderedAt ?? new DateTimeOffset(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);
        var facts = new CustomerFacts(key[3..], $"{key[3..]}@example.com", "Kim", null, locale, country, zone, new ConsentFacts(consent, "test", at));
        await _app.Get<IEventQueue>().PublishAsync([new CustomerEvent($"api-{++_events}", Store, key, EventTypes.OrderPlaced, at, at, "api", facts,
            new OrderFacts($"o-{key}", 30m, "GBP"))], default);
    }

    private async Task SeedAsync()
    {
        for (var i = 0; i < 8; i++) await CustomerAsync($"id:gb{i}", "GB", "Europe/London", "en-GB");
        for (var i = 0; i < 6; i++) await CustomerAsync($"id:de{i}", "DE", "Europe/Berlin", "de-DE");
        for (var i = 0; i < 4; i++) await CustomerAsync($"id:us{i}", "US", "America/New_York", "en-US");
        await CustomerAsync("id:noconsent", "GB", "Europe/London", "en-GB", consent: "unsubscribed");
        await CustomerAsync("id:new", "GB", "Europe/London", "en-GB", orderedAt: new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        await CustomerAsync("id:suppressed", "GB", "Europe/London", "en-GB");
        await _app.DrainAsync();
        await _app.Get<SuppressionList>().SuppressAsync(Store, "suppressed@example.com", SuppressionReasons.Bounced, "test", _app.Clock.GetUtcNow(), default);
    }

    private async Task<BroadcastPlan> PlanAsync()
    {
        if (_app.Clock.GetUtcNow() < PlanTime) _app.Clock.SetUtcNow(PlanTime);
        var plans = await _app.Get<BroadcastPlanner>().PlanDueAsync(default);
        return Assert.Single(plans);
    }

    private async Task<BroadcastSweep> SendAtAsync(DateTimeOffset at)
    {
        _app.Clock.SetUtcNow(at);
        return await _app.Get<BroadcastSender>().SweepAsync(default);
    }

    private async Task<JourneyInstance?> InstanceAsync(string customer)
    {
        var state = await _app.Get<CustomerTable>().ReadStateAsync(CustomerKey.Partition(Store, customer), default);
        return state.Journeys.Instances.GetValueOrDefault("holiday-push");
    }

    private async Task<List<TableEntity>> EntriesAsync() =>
        await _app.Get<StorageClients>().Table(StorageClients.BroadcastsTable).QueryAsync<TableEntity>("PartitionKey lt 'p'").ToListAsync();

    private IEnumerable<string> Recipients() => _sendGrid.Requests
        .SelectMany(r => r.Body!["personalizations"]!.AsArray()).Select(p => (string)p!["to"]![0]!["email"]!);

    private static readonly string[] Audience = [.. Enumerable.Range(0, 8).Select(i => $"id:gb{i}"), .. Enumerable.Range(0, 6).Select(i => $"id:de{i}"),
        .. Enumerable.Range(0, 4).Select(i => $"id:us{i}"), "id:suppressed"];

    [Fact]
    public async Task a_push_reaches_each_market_at_ten_local_time_in_one_request_per_minute_with_every_policy_applied()
    {
        await SeedAsync();
        var plan = await PlanAsync();

        // Planned from the index: the unsubscribed customer is not even read; the new customer is not in a tier the journey wants.
        Assert.Equal(("black-friday-2026", 19L), (plan.Occasion, plan.Entries));
        Assert.Equal(new Dictionary<string, string> { ["GB"] = "2026-11-27", ["DE"] = "2026-11-27", ["US"] = "2026-11-27" }, plan.Dates);
        Assert.Equal((Berlin, NewYork), (plan.FirstDue, plan.LastDue));

        Assert.Equal(0, (await SendAtAsync(Berlin.AddMinutes(-1))).Entries);
        Assert.Equal(6, (await SendAtAsync(Berlin)).Entries);
        Assert.Equal(9, (await SendAtAsync(London)).Entries);
        Assert.Equal(4, (await SendAtAsync(NewYork)).Entries);
        Assert.Empty(await EntriesAsync());

        Assert.Empty(_sendGrid.Violations);
        var sent = new List<string>();
        var heldOut = new List<string>();
        foreach (var customer in Audience)
        {
            var run = await InstanceAsync(customer);
            Assert.NotNull(run);
            Assert.Equal(EngineEvents.ScheduledId("holiday-push", "black-friday-2026"), run.Trigger.Id);
            if (run.Group == InstanceStatus.HoldoutGroup)
            {
                heldOut.Add(customer);
                Assert.DoesNotContain(run.History, h => h.Step == "promo");
            }
            else if (customer == "id:suppressed")
                Assert.Contains(run.History, h => h.Step == "promo" && h.Outcome == "withheld" && h.Detail!.Contains("bounced", StringComparison.Ordinal));
            else
            {
                sent.Add(customer);
                Assert.Contains(run.History, h => h.Step == "promo" && h.Outcome == "emailSent" && h.Detail!.StartsWith("sg-", StringComparison.Ordinal));
            }
            Assert.Equal("window", run.StepId);
        }
        Assert.NotEmpty(heldOut);
        Assert.Null(await InstanceAsync("id:noconsent"));
        Assert.Null(await InstanceAsync("id:new"));
        Assert.Equal(sent.Select(c => $"{c[3..]}@example.com").Order(), Recipients().Order());
        // One request per minute group and locale (Berlin, London, New York), never one per recipient.
        Assert.Equal(3, _sendGrid.Requests.Count);
        foreach (var request in _sendGrid.Requests)
        {
            Assert.All(request.Body!["personalizations"]!.AsArray(), p => Assert.Single(p!["to"]!.AsArray()));
            Assert.NotNull(request.Body!["template_id"]);
        }
        var template = _sendGrid.Requests.Select(r => (string)r.Body!["template_id"]!).ToList();
        // No German copy ships, so Berlin gets the English one, like a single email would.
        Assert.Equal(["d-00000000000000000000000000000001", "d-00000000000000000000000000000001", "d-00000000000000000000000000000001"], template);
        var data = _sendGrid.Requests[0].Body!["personalizations"]![0]!["dynamic_template_data"]!;
        Assert.Equal("Kim", (string?)data["customer"]!["firstName"]);

        // The report counts the broadcast's groups, summed per group rather than written per customer.
        var report = await (await _app.Http.SendAsync(_app.Keyed(HttpMethod.Get, "/api/reports/custom/journeys/holiday-push"))).Content.ReadFromJsonAsync<JsonElement>();
        var groups = report.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("group").GetString()!, g => g.GetProperty("members").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["sent"] = Audience.Length - heldOut.Count, ["holdout"] = heldOut.Count }, groups);
    }

    [Fact]
    public async Task planning_and_sending_again_sends_nobody_twice()
    {
        await SeedAsync();
        await PlanAsync();
        await SendAtAsync(London);
        var requests = _sendGrid.Requests.Count;
        var recipients = Recipients().Order().ToList();

        // The same broadcast planned again from scratch (its plan row lost): the same entries, and every one finds its customer entered.
        await _app.Get<StorageClients>().Table(StorageClients.BroadcastsTable).DeleteEntityAsync("plan|custom", "holiday-push|black-friday-2026");
        Assert.Equal(19L, (await PlanAsync()).Entries);
        await SendAtAsync(NewYork);

        Assert.Equal(recipients.Count + _sendGrid.Requests.Skip(requests).SelectMany(r => r.Body!["personalizations"]!.AsArray()).Count(), Recipients().Count());
        Assert.All(Recipients().GroupBy(r => r), g => Assert.Single(g));
        Assert.Empty(await EntriesAsync());
        // Planning when the plan is made plans nothing.
        Assert.Empty(await _app.Get<BroadcastPlanner>().PlanDueAsync(default));
    }

    [Fact]
    public async Task a_crash_before_the_request_loses_nobody_and_one_after_it_sends_nobody_twice()
    {
        await SeedAsync();
        await PlanAsync();
        var sender = _app.Get<BroadcastSender>();

        // Berlin: the sweep dies after deciding, before anything is marked or sent. Nothing was committed for the group.
        sender.FaultPoint = p => p == "prepared" ? throw new InvalidOperationException("crash") : Task.CompletedTask;
        await Assert.ThrowsAsync<InvalidOperationException>(() => SendAtAsync(Berlin));
        Assert.Empty(_sendGrid.Requests);
        sender.FaultPoint = null;
        await SendAtAsync(Berlin.AddMinutes(1));
        var berlin = Recipients().ToList();
        Assert.Equal(6 - (await HeldOutAsync("de", 6)), berlin.Count);

        // London: SendGrid took the request, then the sweep died before recording it. The re-run sends nobody again and records why.
        sender.FaultPoint = p => p == "sent" ? throw new InvalidOperationException("crash") : Task.CompletedTask;
        await Assert.ThrowsAsync<InvalidOperationException>(() => SendAtAsync(London));
        var afterCrash = Recipients().Count();
        sender.FaultPoint = null;
        await SendAtAsync(London.AddMinutes(1));
        Assert.Equal(afterCrash, Recipients().Count());
        Assert.All(Recipients().GroupBy(r => r), g => Assert.Single(g));
        var londoner = (await InstanceAsync(Audience.First(c => c.StartsWith("id:gb", StringComparison.Ordinal) && Recipients().Contains($"{c[3..]}@example.com"))))!;
        Assert.Contains(londoner.History, h => h.Step == "promo" && h.Outcome == "emailFailed" && h.Detail!.Contains("not sent again (at most once)", StringComparison.Ordinal));
        Assert.DoesNotContain(await EntriesAsync(), e => e.PartitionKey.StartsWith("202611200900", StringComparison.Ordinal) || e.PartitionKey.StartsWith("202611201000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task shop_redaction_deletes_the_stores_plans_and_pending_entries()
    {
        await SeedAsync();
        await PlanAsync();
        Assert.Equal(19, (await EntriesAsync()).Count);

        await _app.Get<Automation.Functions.Events.EventProcessor>().ProcessAsync(new CustomerEvent("shopify-shop-redact", Store, Automation.Functions.Events.EventProcessor.ShopCustomerKey,
            EventTypes.ShopRedacted, PlanTime, PlanTime, "shopify"), default);

        Assert.Empty(await EntriesAsync());
        Assert.Empty(await _app.Get<BroadcastTable>().ListPlansAsync(Store, default));
        Assert.Equal(0, (await SendAtAsync(NewYork)).Entries);
        Assert.Empty(_sendGrid.Requests);
    }

    private async Task<int> HeldOutAsync(string prefix, int count)
    {
        var held = 0;
        for (var i = 0; i < count; i++)
            if ((await InstanceAsync($"id:{prefix}{i}"))?.Group == InstanceStatus.HoldoutGroup) held++;
        return held;
    }

    [Fact]
    public async Task the_api_lists_the_next_occasions_and_the_plans()
    {
        await SeedAsync();
        await PlanAsync();
        var body = await _app.Http.SendAsync(_app.Keyed(HttpMethod.Get, "/api/broadcasts/custom"));
        body.EnsureSuccessStatusCode();
        var json = await body.Content.ReadFromJsonAsync<JsonElement>();
        var upcoming = Assert.Single(json.GetProperty("upcoming").EnumerateArray());
        Assert.Equal(("holiday-push", "black-friday-2026", "planned"), (upcoming.GetProperty("journey").GetString(), upcoming.GetProperty("occasion").GetString(), upcoming.GetProperty("planned").GetString()));
        Assert.Equal("2026-11-20T10:00", upcoming.GetProperty("localSend").GetProperty("DE").GetString());
        var plan = Assert.Single(json.GetProperty("plans").EnumerateArray());
        Assert.Equal(19, plan.GetProperty("entries").GetInt64());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await _app.Http.SendAsync(_app.Keyed(HttpMethod.Get, "/api/broadcasts/nope"))).StatusCode);
    }
}
