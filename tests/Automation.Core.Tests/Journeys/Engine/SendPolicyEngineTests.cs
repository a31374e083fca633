using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Core.Journeys.Preview;
using Automation.Core.Stores;

namespace Automation.Core.Tests.Journeys.Engine;

/// <summary>The engine's side of the send policy: deferred steps, reserved slots, and what may happen while an email waits.</summary>
public sealed class SendPolicyEngineTests
{
    // 15:00 UTC is 10:00 in New York in March before the change: inside the send window.
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);
    private static readonly StoreSettings Store = new("s", TimeZone: "America/New_York");
    private static readonly JourneyCatalog Catalog = new(new HashSet<string> { "hello", "sale" }, new Dictionary<string, CouponPool>(), new Dictionary<string, WebhookTarget>());

    private static PublishedJourney OneEmail(string id, string trigger, string template, string extra = "") =>
        PublishedJourney.Single(JourneyReader.Read($$"""
            { "schemaVersion": 1, "id": "{{id}}", "name": "J", "trigger": { "event": "{{trigger}}" }, {{extra}}
              "goals": [ { "id": "bought", "event": "order.placed" } ],
              "steps": [ { "id": "send", "type": "sendEmail", "template": "{{template}}", "next": "done" }, { "id": "done", "type": "exit" } ] }
            """, Catalog).Definition!);

    private static JourneySimulator Sim(params PublishedJourney[] journeys) =>
        new JourneySimulator(Store, new JourneyLibrary(journeys, Catalog)).StartAt(T0)
            .Event(EventTypes.CustomerUpdated, customer: new CustomerFacts(Email: "a@example.com", Consent: new ConsentFacts("subscribed", "test", T0)));

    [Fact]
    public void a_marketing_email_that_failed_gives_its_slot_back()
    {
        var sim = Sim(OneEmail("a", "a.due", "hello"), OneEmail("b", "b.due", "sale"));
        sim.Fail = a => a.Template == "hello" ? "provider refused: 400" : null;

        sim.Event("a.due").Event("b.due", at: T0.AddHours(1));

        Assert.Equal([T0, T0.AddHours(1)], sim.Emails.Select(e => e.CreatedAt));
        Assert.Equal("b", Assert.Single(sim.Profile!.Mailing.MarketingSends).Journey);
    }

    [Fact]
    public void a_sent_marketing_email_keeps_its_slot_in_the_profile()
    {
        var sim = Sim(OneEmail("a", "a.due", "hello")).Event("a.due");

        var send = Assert.Single(sim.Profile!.Mailing.MarketingSends);
        Assert.Equal((T0, "a", sim.Emails.Single().Id), (send.At, send.Journey, send.ActionId));
    }

    [Fact]
    public void a_goal_reached_while_the_email_waits_means_it_is_never_sent()
    {
        var sim = Sim(OneEmail("a", "a.due", "hello"), OneEmail("b", "b.due", "sale"))
            .Event("a.due")
            .Event("b.due", at: T0.AddHours(1));
        Assert.Equal(InstanceStatus.WaitTimer, sim.States.Instances["b"].Waiting);

        sim.Event(EventTypes.OrderPlaced, new OrderFacts("o1", 10m), at: T0.AddHours(2)).Advance(TimeSpan.FromDays(3));

        Assert.Single(sim.Emails);
        Assert.Equal(InstanceStatus.Converted, sim.Runs.Single(r => r.JourneyId == "b").Status);
    }

    [Fact]
    public void a_deferred_email_checks_every_rule_again_when_its_time_comes()
    {
        var sim = Sim(OneEmail("a", "a.due", "hello"), OneEmail("b", "b.due", "sale"))
            .Event("a.due")
            .Event("b.due", at: T0.AddHours(1))
            .Event(EventTypes.ConsentChanged, customer: new CustomerFacts(Consent: new ConsentFacts("unsubscribed", "test", T0.AddHours(2))), at: T0.AddHours(2))
            .Advance(TimeSpan.FromDays(2));

        Assert.Single(sim.Emails);
        var b = sim.Runs.Single(r => r.JourneyId == "b");
        Assert.Equal(["entered", "deferred", "skipped"], b.History.Where(h => h.Step == "send").Select(h => h.Outcome));
        Assert.Equal("no marketing consent (consent is unsubscribed)", b.History.Last(h => h.Step == "send").Detail);
        // 16 hours after the first is 02:00 in New York: the window opens at 09:00 (14:00 UTC).
        Assert.Equal(T0.AddHours(23), b.History.Last(h => h.Step == "send").At);
    }

    [Fact]
    public void a_paused_journeys_deferred_email_holds_and_goes_out_after_resuming()
    {
        var a = OneEmail("a", "a.due", "hello");
        var b = OneEmail("b", "b.due", "sale");
        var sim = Sim(a, b).Event("a.due").Event("b.due", at: T0.AddHours(1));

        var paused = new JourneyLibrary([a, b with { Status = PublishedJourney.Paused }], Catalog);
        var due = sim.States.Instances["b"].WakeAt!.Value;
        var wake = EngineEvents.WakeUp("s", "id:preview", "b", sim.States.Instances["b"].Token!, due, due);
        var decision = JourneyEngine.Decide(sim.Profile!, sim.States, wake, Store, paused, due);

        Assert.Empty(decision.Actions);
        Assert.Equal(due.AddHours(1), decision.States.Instances["b"].WakeAt);
        Assert.Equal("held", decision.States.Instances["b"].History[^1].Outcome);
    }

    [Fact]
    public void a_priority_given_in_the_document_is_read_and_the_default_is_50()
    {
        Assert.Equal(50, OneEmail("a", "a.due", "hello").Current.EffectivePriority);
        Assert.Equal(7, OneEmail("a", "a.due", "hello", "\"priority\": 7,").Current.EffectivePriority);
    }
}
