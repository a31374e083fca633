using System.Text.Json;
using Automation.Core.Events;
using Automation.Functions.Reports;
using Automation.Functions.Suppression;
using Automation.Functions.Tests.Http;
using Automation.Functions.Tests.JourneyRuntime;

namespace Automation.Functions.Tests.Messaging;

/// <summary>
/// The last check before every send, against Azurite: what changed after the journey decided (an
/// unsubscribe the profile has not heard of yet, the store's quota) withholds the email with its
/// reason in the history; and every committed decision feeds the journey's report.
/// </summary>
public sealed class PolicyGateTests
{
    private static CustomerEvent Order(RuntimeKit kit, string customer, string order, params string[] codes)
    {
        var e = RuntimeKit.Order("api-" + order, order, kit.App.Clock.GetUtcNow(), customer);
        return e with { Customer = e.Customer! with { Email = customer[3..] + "@example.com" }, Order = e.Order! with { DiscountCodes = codes } };
    }

    [Fact]
    public async Task an_address_suppressed_after_the_decision_is_withheld_at_the_gate_with_its_reason()
    {
        await using var kit = await RuntimeKit.StartAsync();
        await kit.InstallAsync(JourneyRuntimeTests.Welcome);
        await kit.PostAsync(Order(kit, "id:7", "o-1"));
        // Straight into the list, as the unsubscribe page does before the customer's profile hears of it.
        await kit.App.Get<SuppressionList>().SuppressAsync(RuntimeKit.Store, "7@example.com", SuppressionReasons.Unsubscribed, "test", kit.App.Clock.GetUtcNow(), default);

        await kit.AdvanceAsync("P1D");

        Assert.Empty(await kit.EmailsAsync());
        var history = (await kit.InstanceAsync("welcome"))!.History;
        Assert.Contains(history, h => h is { Step: "email", Outcome: "withheld", Detail: "suppressed: unsubscribed" });
        Assert.Empty(await kit.OutboxAsync());
    }

    [Fact]
    public async Task a_customer_who_opts_in_again_after_unsubscribing_lifts_their_own_unsubscribe_but_not_a_bounce()
    {
        await using var kit = await RuntimeKit.StartAsync();
        await kit.InstallAsync(JourneyRuntimeTests.Welcome);
        var list = kit.App.Get<SuppressionList>();
        var t0 = kit.App.Clock.GetUtcNow();
        await kit.PostAsync(Order(kit, "id:7", "o-1"));
        await kit.PostAsync(Order(kit, "id:8", "o-2"));
        foreach (var (customer, reason) in new[] { ("id:7", SuppressionReasons.Unsubscribed), ("id:8", SuppressionReasons.Bounced) })
        {
            await list.SuppressAsync(RuntimeKit.Store, customer[3..] + "@example.com", reason, "test", t0.AddMinutes(1), default);
            await kit.PostAsync(Consent(customer, "unsubscribed", t0.AddMinutes(1)));
            await kit.PostAsync(Consent(customer, "subscribed", t0.AddMinutes(2)));
        }

        Assert.Null((await list.GetAsync(RuntimeKit.Store, "7@example.com", default))!.Reason);
        Assert.Equal(SuppressionReasons.Bounced, (await list.GetAsync(RuntimeKit.Store, "8@example.com", default))!.Reason);
        await kit.AdvanceAsync("P1D");
        Assert.Equal(["7@example.com"], (await kit.EmailsAsync()).Select(e => e.To));
    }

    private static CustomerEvent Consent(string customer, string state, DateTimeOffset at) =>
        new($"api-consent-{customer}-{state}", RuntimeKit.Store, customer, EventTypes.CustomerUpdated, at, at, "api",
            new CustomerFacts(customer[3..], customer[3..] + "@example.com", Consent: new ConsentFacts(state, "test", at)));

    [Fact]
    public async Task the_customers_profile_shows_why_email_may_not_reach_them()
    {
        await using var kit = await RuntimeKit.StartAsync();
        await kit.PostAsync(Order(kit, "id:7", "o-1"));
        var at = kit.App.Clock.GetUtcNow();
        await kit.PostAsync(new CustomerEvent("optout-1", RuntimeKit.Store, "id:7", EventTypes.EmailUnsubscribed, at, at, "recipient",
            Data: new System.Text.Json.Nodes.JsonObject { ["scope"] = "journey", ["journey"] = "welcome" }));
        await kit.PostAsync(new CustomerEvent("bounce-1", RuntimeKit.Store, "id:7", EventTypes.EmailSuppressed, at, at, "sendgrid",
            Data: new System.Text.Json.Nodes.JsonObject { ["reason"] = "bounced" }));

        var mailing = (await kit.App.OkAsync(kit.App.Keyed(HttpMethod.Get, "/api/customers/custom/7"))).GetProperty("mailing");

        Assert.Equal(["welcome"], mailing.GetProperty("optedOutOfJourneys").EnumerateArray().Select(j => j.GetString()));
        Assert.Equal("bounced", mailing.Text("suppressed"));
        Assert.False(mailing.GetProperty("unsubscribedFromAll").GetBoolean());
    }

    [Fact]
    public async Task a_journey_opt_out_withholds_only_that_journeys_email()
    {
        await using var kit = await RuntimeKit.StartAsync();
        await kit.InstallAsync(JourneyRuntimeTests.Welcome);
        await kit.PostAsync(Order(kit, "id:7", "o-1"));
        await kit.App.Get<SuppressionList>().OptOutAsync(RuntimeKit.Store, "7@example.com", "another-journey", kit.App.Clock.GetUtcNow(), default);

        await kit.AdvanceAsync("P1D");

        Assert.Single(await kit.EmailsAsync());
    }

    [Fact]
    public async Task the_stores_monthly_quota_withholds_marketing_beyond_it()
    {
        await using var kit = await RuntimeKit.StartAsync(new() { ["Automation:Stores:custom:Messaging:MonthlyMarketingQuota"] = "1" });
        await kit.InstallAsync(JourneyRuntimeTests.Welcome);
        await kit.PostAsync(Order(kit, "id:7", "o-1"));
        await kit.PostAsync(Order(kit, "id:8", "o-2"));

        await kit.AdvanceAsync("P1D");

        Assert.Single(await kit.EmailsAsync());
        var outcomes = new[] { await kit.InstanceAsync("welcome", "id:7"), await kit.InstanceAsync("welcome", "id:8") }
            .SelectMany(i => i!.History).Where(h => h.Step == "email" && h.Outcome is "emailSent" or "withheld").ToList();
        Assert.Equal(["emailSent", "withheld"], outcomes.Select(h => h.Outcome).Order());
        Assert.Contains(outcomes, h => h.Detail == "quota: the store's 1 marketing emails for 2026-11 are used");
    }

    [Fact]
    public async Task the_report_counts_sends_withheld_emails_conversions_revenue_and_the_redeemed_coupon()
    {
        await using var kit = await RuntimeKit.StartAsync();
        await kit.InstallAsync(JourneyRuntimeTests.Welcome);
        await kit.PostAsync(Order(kit, "id:7", "o-1"));
        await kit.PostAsync(Order(kit, "id:8", "o-2"));
        await kit.App.Get<SuppressionList>().SuppressAsync(RuntimeKit.Store, "8@example.com", SuppressionReasons.Blocked, "test", kit.App.Clock.GetUtcNow(), default);
        await kit.AdvanceAsync("P1D");
        var code = RuntimeKit.CouponCode(Assert.Single(await kit.EmailsAsync()))!;

        await kit.PostAsync(Order(kit, "id:7", "o-3", code));

        var report = await kit.App.OkAsync(kit.App.Keyed(HttpMethod.Get, "/api/reports/custom/journeys/welcome"));
        var steps = report.GetProperty("steps").EnumerateArray().ToDictionary(s => s.Text("step"));
        Assert.Equal(1, Metric(steps["email"], JourneyMetrics.Sent));
        Assert.Equal(1, Metric(steps["email"], JourneyMetrics.Skipped));
        Assert.Equal(1, Metric(steps["coupon"], JourneyMetrics.CouponRedeemed));
        Assert.Equal(40m, steps["coupon"].GetProperty("amounts").GetProperty(JourneyMetrics.CouponRedeemed).GetDecimal());
        Assert.Equal(1, Metric(steps[JourneyStats.JourneyLevel], JourneyMetrics.Conversion));
        Assert.Equal(40m, steps[JourneyStats.JourneyLevel].GetProperty("amounts").GetProperty(JourneyMetrics.Conversion).GetDecimal());
    }

    private static long Metric(JsonElement step, string metric) =>
        step.GetProperty("metrics").TryGetProperty(metric, out var v) ? v.GetInt64() : 0;
}
