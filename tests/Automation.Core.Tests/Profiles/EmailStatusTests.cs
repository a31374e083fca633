using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Core.Tests.Profiles;

/// <summary>The recipient's side of the profile: unsubscribes, journey opt-outs, suppressions and recent sends.</summary>
public sealed class EmailStatusTests
{
    private static readonly StoreSettings Store = new("s", TimeZone: "America/New_York");
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static CustomerEvent E(string type, DateTimeOffset at, JsonObject? data = null, CustomerFacts? customer = null) =>
        new($"{type}-{at.Ticks}-{data?.ToJsonString()}", "s", "id:1", type, at, at, "api", customer, null, data);

    private static CustomerEvent Unsubscribed(DateTimeOffset at) => E(EventTypes.EmailUnsubscribed, at, new JsonObject { ["scope"] = "all" });
    private static CustomerEvent OptedOut(string journey, DateTimeOffset at) => E(EventTypes.EmailUnsubscribed, at, new JsonObject { ["scope"] = "journey", ["journey"] = journey });
    private static CustomerEvent Suppressed(string reason, DateTimeOffset at) => E(EventTypes.EmailSuppressed, at, new JsonObject { ["reason"] = reason });
    private static CustomerEvent Unsuppressed(DateTimeOffset at) => E(EventTypes.EmailUnsuppressed, at);

    private static CustomerProfile Run(params CustomerEvent[] events) =>
        events.Aggregate((CustomerProfile?)null, (p, e) => ProfileReducer.Apply(p, e, Store, e.OccurredAt).Profile)!;

    [Fact]
    public void unsubscribes_and_suppressions_are_not_the_customers_activity()
    {
        var p = Run(E(EventTypes.OrderPlaced, T0) with { Order = new OrderFacts("o1", 10m) }, Unsubscribed(T0.AddDays(5)), Suppressed("bounced", T0.AddDays(6)), Unsuppressed(T0.AddDays(7)));

        Assert.Equal(T0, p.LastActivityAt);
        Assert.Equal(T0.AddDays(5), p.Mailing.UnsubscribedAt);
    }

    [Fact]
    public void a_journey_opt_out_names_only_that_journey()
    {
        var p = Run(OptedOut("dormancy-win-back", T0));

        Assert.True(p.Mailing.OptedOutOf("dormancy-win-back"));
        Assert.False(p.Mailing.OptedOutOf("post-complaint-survey"));
        Assert.Null(p.Mailing.UnsubscribedAt);
    }

    [Fact]
    public void the_latest_of_suppression_and_lifting_wins_whatever_the_order_of_arrival()
    {
        CustomerEvent[] events = [Suppressed("bounced", T0), Unsuppressed(T0.AddHours(1)), Suppressed("spamreport", T0.AddHours(2))];
        var inOrder = Run(events);
        var reversed = Run([.. events.Reverse()]);

        Assert.Equal("spamreport", inOrder.Mailing.Suppression);
        Assert.Equal(inOrder.Mailing, reversed.Mailing);
        Assert.Null(Run(Suppressed("bounced", T0), Unsuppressed(T0.AddHours(1))).Mailing.Suppression);
        Assert.Null(Run(Unsuppressed(T0.AddHours(1)), Suppressed("bounced", T0)).Mailing.Suppression);
    }

    [Fact]
    public void a_new_opt_in_after_unsubscribing_from_all_lifts_it()
    {
        var optIn = E(EventTypes.ConsentChanged, T0.AddDays(1), customer: new CustomerFacts(Consent: new ConsentFacts("subscribed", "web", T0.AddDays(1))));
        var p = Run(Unsubscribed(T0), optIn);

        Assert.False(p.Mailing.UnsubscribedFromAll(p.Consent));
        Assert.True(Run(optIn, Unsubscribed(T0.AddDays(2))).Mailing.UnsubscribedFromAll(p.Consent));
    }

    [Fact]
    public void marketing_sends_are_kept_90_days_and_50_at_most_and_a_failed_one_gives_back_its_slot()
    {
        var m = Enumerable.Range(0, 60).Aggregate(EmailStatus.None, (s, i) => s.Reserve(T0.AddHours(i), "j", $"a{i}"));
        Assert.Equal(EmailStatus.MaxSendsKept, m.MarketingSends.Count);
        Assert.Equal("a59", m.MarketingSends[^1].ActionId);

        var later = m.Reserve(T0.AddDays(100), "j", "late");
        Assert.Equal("late", Assert.Single(later.MarketingSends).ActionId);

        Assert.DoesNotContain(m.Release("a30").MarketingSends, s => s.ActionId == "a30");
        Assert.Same(m, m.Release("unknown"));
    }

    [Fact]
    public void a_profile_stored_before_the_email_status_existed_still_reads()
    {
        const string old = """{"schemaVersion":1,"storeId":"s","customerKey":"id:1","email":"a@example.com","consent":{"state":"subscribed"},"firstSeenAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}""";

        var p = JsonSerializer.Deserialize<CustomerProfile>(old, EventJson.Options)!;

        Assert.Equal(EmailStatus.None, p.Mailing);
        var back = JsonSerializer.Deserialize<CustomerProfile>(JsonSerializer.Serialize(p with { Mailing = p.Mailing.Reserve(T0, "j", "a1") }, EventJson.Options), EventJson.Options)!;
        Assert.Equal("a1", Assert.Single(back.Mailing.MarketingSends).ActionId);
    }
}
