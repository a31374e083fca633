using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Core.Journeys.Preview;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Core.Tests.Journeys.Engine;

/// <summary>The engine's rules, one at a time, on small journeys: versions, pause, re-entry, splits, stale timers.</summary>
public sealed class JourneyEngineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly StoreSettings Store = new("s", TimeZone: "Europe/London");
    private static readonly JourneyCatalog Catalog = new(
        new HashSet<string> { "hello", "bye" },
        new Dictionary<string, CouponPool> { ["ten"] = new() { PercentOff = 10, ValidFor = "P30D", Prefix = "TEN" } },
        new Dictionary<string, WebhookTarget>());

    private static JourneyDefinition Define(string steps, string extra = "", string id = "j")
    {
        var json = $$"""{ "schemaVersion": 1, "id": "{{id}}", "name": "J", "trigger": { "event": "order.placed" }, {{extra}} "steps": {{steps}} }""";
        var read = JourneyReader.Read(json, Catalog);
        Assert.True(read.IsValid, string.Join("; ", read.Problems.Select(p => $"{p.Path}: {p.Message}")));
        return read.Definition!;
    }

    private const string WaitThenEmail = """
        [ { "id": "wait", "type": "wait", "duration": "P2D", "next": "email" },
          { "id": "email", "type": "sendEmail", "template": "hello", "next": "end" },
          { "id": "end", "type": "exit" } ]
        """;

    private static CustomerFacts Subscribed => new(Email: "a@example.com", Consent: new ConsentFacts("subscribed", "test", T0));

    private static JourneySimulator Sim(params PublishedJourney[] journeys) =>
        new JourneySimulator(Store, new JourneyLibrary(journeys, Catalog)).StartAt(T0);

    private static OrderFacts Order(string id, string[]? codes = null) => new(id, 25m, "GBP", codes);

    [Fact]
    public void an_instance_started_on_version_1_finishes_on_it_when_version_2_is_published_with_finish()
    {
        var v1 = Define(WaitThenEmail);
        var v2 = v1 with { Steps = [.. v1.Steps.Select(s => s.Id == "email" ? s with { Template = "bye" } : s)] };
        var sim = Sim(PublishedJourney.Single(v1)).Event(EventTypes.OrderPlaced, Order("o1"), customer: Subscribed);

        var library = new JourneyLibrary([Published(v1, v2, MigrationPolicy.Default)], Catalog);
        var states = sim.States;
        var wake = Wake(states);
        var decision = JourneyEngine.Decide(sim.Profile!, states, wake, Store, library, T0.AddDays(2));

        Assert.Equal("hello", Assert.Single(decision.Actions).Template);
        Assert.Equal(1, decision.States.Instances["j"].Version);
    }

    [Fact]
    public void an_instance_moves_to_the_new_version_at_the_same_step_when_published_with_move()
    {
        var v1 = Define(WaitThenEmail);
        var v2 = v1 with { Steps = [.. v1.Steps.Select(s => s.Id == "email" ? s with { Template = "bye" } : s)] };
        var sim = Sim(PublishedJourney.Single(v1)).Event(EventTypes.OrderPlaced, Order("o1"), customer: Subscribed);

        var library = new JourneyLibrary([Published(v1, v2, new MigrationPolicy(MigrationPolicy.Move))], Catalog);
        var decision = JourneyEngine.Decide(sim.Profile!, sim.States, Wake(sim.States), Store, library, T0.AddDays(2));

        Assert.Equal("bye", Assert.Single(decision.Actions).Template);
        var instance = decision.States.Instances["j"];
        Assert.Equal(2, instance.Version);
        Assert.Contains(instance.History, h => h.Outcome == "moved" && h.Detail == "to version 2");
    }

    [Theory]
    [InlineData(MigrationPolicy.Stay, "hello")]
    [InlineData(MigrationPolicy.Exit, null)]
    public void an_instance_whose_step_is_gone_stays_or_exits_as_the_publisher_chose(string missing, string? sent)
    {
        var v1 = Define(WaitThenEmail);
        var v2 = Define("""[ { "id": "pause", "type": "wait", "duration": "P1D", "next": "end" }, { "id": "end", "type": "exit" } ]""");
        var sim = Sim(PublishedJourney.Single(v1)).Event(EventTypes.OrderPlaced, Order("o1"), customer: Subscribed);

        var library = new JourneyLibrary([Published(v1, v2, new MigrationPolicy(MigrationPolicy.Move, missing))], Catalog);
        var decision = JourneyEngine.Decide(sim.Profile!, sim.States, Wake(sim.States), Store, library, T0.AddDays(2));

        var instance = decision.States.Instances["j"];
        Assert.Equal(1, instance.Version);
        Assert.Equal(sent, decision.Actions.SingleOrDefault()?.Template);
        if (sent is null) Assert.Equal("version 2 has no step 'wait'", instance.EndReason);
    }

    [Fact]
    public void a_wake_up_with_a_token_the_instance_no_longer_holds_changes_nothing()
    {
        var sim = Sim(PublishedJourney.Single(Define(WaitThenEmail))).Event(EventTypes.OrderPlaced, Order("o1"), customer: Subscribed);
        var stale = EngineEvents.WakeUp("s", "id:preview", "j", "1-99", T0.AddDays(2), T0.AddDays(2));

        var decision = JourneyEngine.Decide(sim.Profile!, sim.States, stale, Store, new JourneyLibrary([PublishedJourney.Single(Define(WaitThenEmail))], Catalog), T0.AddDays(2));

        Assert.False(decision.Changed);
        Assert.Empty(decision.Actions);
        Assert.Same(sim.States, decision.States);
    }

    [Fact]
    public void a_paused_journey_starts_no_one_and_holds_its_instances_until_resumed()
    {
        var definition = Define(WaitThenEmail);
        var sim = Sim(PublishedJourney.Single(definition)).Event(EventTypes.OrderPlaced, Order("o1"), customer: Subscribed);
        var paused = new JourneyLibrary([PublishedJourney.Single(definition, PublishedJourney.Paused)], Catalog);

        var held = JourneyEngine.Decide(sim.Profile!, sim.States, Wake(sim.States), Store, paused, T0.AddDays(2));
        Assert.Empty(held.Actions);
        var timer = Assert.Single(held.Timers);
        Assert.Equal(T0.AddDays(2).AddHours(1), timer.DueAt);
        Assert.Equal("held", held.States.Instances["j"].History[^1].Outcome);

        var fresh = JourneyEngine.Decide(new CustomerProfile { StoreId = "s", CustomerKey = "id:2" }, JourneyStates.Empty,
            new CustomerEvent("e9", "s", "id:2", EventTypes.OrderPlaced, T0, T0, "api", Order: Order("o9")), Store, paused, T0);
        Assert.Empty(fresh.States.Instances);

        var resumed = JourneyEngine.Decide(held.Profile, held.States, Wake(held.States), Store,
            new JourneyLibrary([PublishedJourney.Single(definition)], Catalog), T0.AddDays(2).AddHours(1));
        Assert.Equal("hello", Assert.Single(resumed.Actions).Template);
    }

    [Theory]
    [InlineData("""{ "mode": "ignore" }""", 1)]
    [InlineData("""{ "mode": "restart" }""", 2)]
    public void a_trigger_while_an_instance_is_active_restarts_or_is_ignored(string reentry, int runs)
    {
        var sim = Sim(PublishedJourney.Single(Define(WaitThenEmail, $""" "reentry": {reentry}, """)))
            .Event(EventTypes.OrderPlaced, Order("o1"), customer: Subscribed)
            .Event(EventTypes.OrderPlaced, Order("o2"), at: T0.AddDays(1));

        Assert.Equal(runs, sim.States.Instances["j"].Run);
        sim.Advance(TimeSpan.FromDays(5));
        Assert.Single(sim.Emails);
    }

    [Fact]
    public void once_never_starts_a_second_run_and_after_waits_out_its_duration()
    {
        var once = Sim(PublishedJourney.Single(Define(WaitThenEmail, """ "reentry": { "mode": "once" }, """)))
            .Event(EventTypes.OrderPlaced, Order("o1"), customer: Subscribed)
            .Advance(TimeSpan.FromDays(3))
            .Event(EventTypes.OrderPlaced, Order("o2"));
        Assert.Equal(1, once.States.Instances["j"].Run);
        Assert.False(once.States.Instances["j"].IsActive);

        var after = Sim(PublishedJourney.Single(Define(WaitThenEmail, """ "reentry": { "mode": "after", "after": "P10D" }, """)))
            .Event(EventTypes.OrderPlaced, Order("o1"), customer: Subscribed)
            .Advance(TimeSpan.FromDays(3))
            .Event(EventTypes.OrderPlaced, Order("o2"));
        Assert.Equal(1, after.States.Instances["j"].Run);
        after.Advance(TimeSpan.FromDays(8)).Event(EventTypes.OrderPlaced, Order("o3"));
        Assert.Equal(2, after.States.Instances["j"].Run);
    }

    [Fact]
    public void an_event_older_than_the_maximum_age_updates_the_profile_but_starts_nothing()
    {
        var sim = Sim(PublishedJourney.Single(Define(WaitThenEmail, """ "maxEventAge": "P2D", """)));
        var old = new CustomerEvent("old", "s", "id:preview", EventTypes.OrderPlaced, T0.AddDays(-30), T0, "import", Subscribed, Order("o1"));
        sim.Apply(old);

        Assert.Equal(1, sim.Profile!.OrderCount);
        Assert.Empty(sim.States.Instances);
    }

    [Fact]
    public void a_split_is_stable_per_customer_and_the_holdout_receives_nothing_but_still_converts()
    {
        const string steps = """
            [ { "id": "ab", "type": "split", "paths": [ { "id": "a", "weight": 1, "next": "email" } ], "holdout": { "weight": 1 } },
              { "id": "email", "type": "sendEmail", "template": "hello", "next": "linger" },
              { "id": "linger", "type": "wait", "duration": "P30D", "next": "end" },
              { "id": "end", "type": "exit" } ]
            """;
        var definition = Define(steps, """ "reentry": { "mode": "once" }, "goals": [ { "id": "again", "event": "order.placed" } ], """);
        var groups = new Dictionary<string, int>();
        for (var i = 0; i < 200; i++)
        {
            var sim = new JourneySimulator(Store, new JourneyLibrary([PublishedJourney.Single(definition)], Catalog), $"id:{i}").StartAt(T0)
                .Event(EventTypes.OrderPlaced, Order("o1"), customer: Subscribed);
            var instance = sim.States.Instances["j"];
            groups[instance.Group!] = groups.GetValueOrDefault(instance.Group!) + 1;
            Assert.Equal(instance.Group == InstanceStatus.HoldoutGroup ? 0 : 1, sim.Emails.Count());
            sim.Event(EventTypes.OrderPlaced, Order("o2"), at: T0.AddDays(3));
            Assert.Equal(instance.Group, sim.States.Instances["j"].Conversion!.Group);
        }
        Assert.InRange(groups["a"], 70, 130);
        Assert.InRange(groups[InstanceStatus.HoldoutGroup], 70, 130);
    }

    [Fact]
    public void marketing_email_without_consent_is_skipped_with_the_reason_and_the_journey_goes_on()
    {
        var sim = Sim(PublishedJourney.Single(Define(WaitThenEmail)))
            .Event(EventTypes.OrderPlaced, Order("o1"), customer: new CustomerFacts(Email: "a@example.com"))
            .Advance(TimeSpan.FromDays(3));

        Assert.Empty(sim.Emails);
        var instance = sim.States.Instances["j"];
        Assert.Contains(instance.History, h => h.Outcome == "skipped" && h.Detail!.Contains("no marketing consent", StringComparison.Ordinal));
        Assert.Equal(InstanceStatus.Exited, instance.Status);
    }

    [Fact]
    public void a_wait_until_a_holiday_offset_wakes_at_the_local_time_in_the_recipients_zone()
    {
        const string steps = """
            [ { "id": "before-bf", "type": "waitUntil", "holiday": "black-friday", "offset": "-P7D", "timeOfDay": "10:00", "next": "email" },
              { "id": "email", "type": "sendEmail", "template": "hello", "next": "end" },
              { "id": "end", "type": "exit" } ]
            """;
        var sim = Sim(PublishedJourney.Single(Define(steps)))
            .Event(EventTypes.OrderPlaced, Order("o1"), customer: Subscribed with { TimeZone = "Asia/Tokyo" });

        // Black Friday 2026 is 27 November; a week before at 10:00 in Tokyo is 01:00 UTC on the 20th.
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero), sim.States.Instances["j"].WakeAt);
    }

    [Fact]
    public void erasing_the_customer_ends_every_instance()
    {
        var sim = Sim(PublishedJourney.Single(Define(WaitThenEmail))).Event(EventTypes.OrderPlaced, Order("o1"), customer: Subscribed);
        sim.Event(EventTypes.CustomerRedacted);
        sim.Advance(TimeSpan.FromDays(5));

        Assert.Empty(sim.Emails);
        Assert.Equal(InstanceStatus.Exited, sim.States.Instances["j"].Status);
    }

    private static PublishedJourney Published(JourneyDefinition v1, JourneyDefinition v2, MigrationPolicy policy) => new()
    {
        Id = v1.Id,
        Version = 2,
        Versions = ImmutableSortedDictionary<int, JourneyDefinition>.Empty.Add(1, v1).Add(2, v2 with { Id = v1.Id }),
        Migrations = ImmutableSortedDictionary<int, MigrationPolicy>.Empty.Add(2, policy),
    };

    private static CustomerEvent Wake(JourneyStates states)
    {
        var i = states.Instances["j"];
        return EngineEvents.WakeUp("s", "id:preview", "j", i.Token!, i.WakeAt!.Value, i.WakeAt.Value);
    }
}
