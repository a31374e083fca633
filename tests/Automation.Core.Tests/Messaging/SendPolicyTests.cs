using System.Collections.Immutable;
using System.Globalization;
using Automation.Core.Messaging;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Core.Tests.Messaging;

/// <summary>
/// <see cref="SendPolicy"/> as tables: who may be mailed at all, then caps and the send window.
/// Times in the rows are UTC unless they name a zone; the store is on New York time.
/// </summary>
public sealed class SendPolicyTests
{
    private static readonly StoreSettings Store = new("s", TimeZone: "America/New_York");
    private const string Journey = "dormancy-win-back";

    private static DateTimeOffset T(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0) return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        var local = DateTime.ParseExact(text[..space], "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(text[(space + 1)..]);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static CustomerProfile Ana(string consent = "subscribed", string? zone = null, string? email = "ana@example.com") => new()
    {
        StoreId = "s",
        CustomerKey = "id:1",
        Email = email,
        TimeZone = zone,
        Consent = new Consent(consent, "test", T("2026-01-01T00:00Z")),
    };

    private static CustomerProfile Sent(CustomerProfile p, params string[] at) =>
        p with { Mailing = at.Aggregate(p.Mailing, (m, t) => m.Reserve(T(t), "other", null)) };

    // ---- who may be mailed ----

    public static TheoryData<string, CustomerProfile, string, string?> Refusals => new()
    {
        // case,                                 profile,                                                                     category,    skipped because (null: sent)
        { "marketing with consent",              Ana(),                                                                       "marketing", null },
        { "marketing without consent",           Ana("unsubscribed"),                                                         "marketing", "no marketing consent (consent is unsubscribed)" },
        { "marketing, consent unknown",          Ana("unknown"),                                                              "marketing", "no marketing consent (consent is unknown)" },
        { "service without consent",             Ana("not_subscribed"),                                                       "service",   null },
        { "no email address",                    Ana(email: null),                                                            "service",   "no email address" },
        { "unsubscribed from all: service too",  Ana() with { Mailing = new EmailStatus { UnsubscribedAt = T("2026-02-01T00:00Z") } },       "service",   "suppressed: unsubscribed" },
        { "unsubscribed, then opted in again",   Ana() with { Consent = new Consent("subscribed", "web", T("2026-03-01T00:00Z")), Mailing = new EmailStatus { UnsubscribedAt = T("2026-02-01T00:00Z") } }, "marketing", null },
        { "unsubscribed, lifted by an admin",    Ana() with { Mailing = new EmailStatus { UnsubscribedAt = T("2026-02-01T00:00Z"), UnsuppressedAt = T("2026-02-02T00:00Z") } }, "service", null },
        { "bounced",                             Ana() with { Mailing = new EmailStatus { SuppressedReason = "bounced", SuppressedAt = T("2026-02-01T00:00Z") } }, "service", "suppressed: bounced" },
        { "blocked customer",                    Ana() with { Mailing = new EmailStatus { SuppressedReason = "blocked", SuppressedAt = T("2026-02-01T00:00Z") } }, "marketing", "suppressed: blocked" },
        { "bounce lifted since",                 Ana() with { Mailing = new EmailStatus { SuppressedReason = "bounced", SuppressedAt = T("2026-02-01T00:00Z"), UnsuppressedAt = T("2026-02-03T00:00Z") } }, "marketing", null },
        { "opted out of this journey",           Ana() with { Mailing = new EmailStatus { OptedOut = ImmutableSortedDictionary<string, DateTimeOffset>.Empty.Add(Journey, T("2026-02-01T00:00Z")) } }, "service", $"suppressed: opted out of journey '{Journey}'" },
        { "opted out of another journey",        Ana() with { Mailing = new EmailStatus { OptedOut = ImmutableSortedDictionary<string, DateTimeOffset>.Empty.Add("other", T("2026-02-01T00:00Z")) } }, "marketing", null },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void who_may_be_mailed(string @case, CustomerProfile profile, string category, string? skipped)
    {
        var result = SendPolicy.Schedule(profile, Journey, category, skipWhenCapped: false, Store, T("2026-04-01T15:00Z"));

        Assert.True(skipped is null ? result.Verdict == SendVerdict.SendNow : result.Verdict == SendVerdict.Skip && result.Reason == skipped,
            $"{@case}: {result}");
    }

    // ---- caps and the send window ----

    /// <summary>Default policy (1 in 16 hours, 4 in 30 days, 09:00-21:00 local) unless the row's policy says otherwise.</summary>
    public static TheoryData<string, string[], string, string?, string, string> Timing => new()
    {
        // case,                                        earlier sends (UTC),                                         now,                             zone,             sent at (= now: at once),             reason contains
        { "in the window, nothing sent lately",         [],                                                           "2026-04-01T10:00 America/New_York", null,          "2026-04-01T10:00 America/New_York", "" },
        { "03:00 local waits for 09:00",                [],                                                           "2026-04-01T03:00 America/New_York", null,          "2026-04-01T09:00 America/New_York", "quiet hours: the send window is 09:00-21:00 (America/New_York)" },
        { "21:00 local is already quiet",               [],                                                           "2026-04-01T21:00 America/New_York", null,          "2026-04-02T09:00 America/New_York", "quiet hours" },
        { "20:59 local still goes",                     [],                                                           "2026-04-01T20:59 America/New_York", null,          "2026-04-01T20:59 America/New_York", "" },
        { "Tokyo customer: Tokyo's morning",            [],                                                           "2026-04-01T15:00Z",                 "Asia/Tokyo",  "2026-04-02T09:00 Asia/Tokyo",       "(Asia/Tokyo)" },
        { "second within 16 h: 16 h after the first",   ["2026-04-01T00:00Z"],                                        "2026-04-01T13:00Z",                 null,          "2026-04-01T16:00Z",                 "capped: at most 1 marketing email in 16 hours" },
        { "exactly 16 h later is allowed",              ["2026-04-01T00:00Z"],                                        "2026-04-01T16:00Z",                 null,          "2026-04-01T16:00Z",                 "" },
        { "cap ends in quiet hours: next morning",      ["2026-04-01T15:00Z"],                                        "2026-04-01T20:00Z",                 null,          "2026-04-02T09:00 America/New_York", "capped: at most 1 marketing email in 16 hours; quiet hours" },
        { "fifth in 30 days: when the oldest ages out", ["2026-03-05T15:00Z", "2026-03-12T15:00Z", "2026-03-20T15:00Z", "2026-03-28T15:00Z"], "2026-04-01T15:00Z", null, "2026-04-04T15:00Z", "capped: at most 4 marketing emails in 30 days" },
        { "sends older than 30 days do not count",      ["2026-02-01T15:00Z", "2026-02-12T15:00Z", "2026-02-20T15:00Z", "2026-03-28T15:00Z"], "2026-04-01T15:00Z", null, "2026-04-01T15:00Z", "" },
    };

    [Theory]
    [MemberData(nameof(Timing))]
    public void caps_and_the_send_window_give_the_earliest_allowed_time(string @case, string[] sends, string now, string? zone, string sentAt, string reason)
    {
        var result = SendPolicy.Schedule(Sent(Ana(zone: zone), sends), Journey, "marketing", skipWhenCapped: false, Store, T(now));

        if (T(sentAt) == T(now)) Assert.True(result.Verdict == SendVerdict.SendNow, $"{@case}: {result}");
        else
        {
            Assert.True(result.Verdict == SendVerdict.Defer, $"{@case}: {result}");
            Assert.Equal(T(sentAt), result.Until);
            Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void caps_apply_to_marketing_only_but_quiet_hours_to_every_email()
    {
        var busy = Sent(Ana(), "2026-04-01T13:00Z");

        Assert.Equal(SendVerdict.SendNow, SendPolicy.Schedule(busy, Journey, "service", false, Store, T("2026-04-01T15:00Z")).Verdict);
        var night = SendPolicy.Schedule(busy, Journey, "service", false, Store, T("2026-04-01T03:00 America/New_York"));
        Assert.Equal(T("2026-04-01T09:00 America/New_York"), night.Until);
    }

    [Fact]
    public void when_capped_skip_skips_with_the_cap_but_quiet_hours_still_defer()
    {
        var busy = Sent(Ana(), "2026-04-01T13:00Z");
        var capped = SendPolicy.Schedule(busy, Journey, "marketing", skipWhenCapped: true, Store, T("2026-04-01T15:00Z"));
        Assert.Equal(SendSchedule.Skip("capped: at most 1 marketing email in 16 hours"), capped);

        var quiet = SendPolicy.Schedule(Ana(), Journey, "marketing", skipWhenCapped: true, Store, T("2026-04-01T03:00 America/New_York"));
        Assert.Equal(SendVerdict.Defer, quiet.Verdict);
    }

    [Fact]
    public void tier_caps_replace_the_stores_for_customers_of_that_tier()
    {
        var store = Store with
        {
            Policy = new MessagePolicy
            {
                TierCaps = new Dictionary<string, IReadOnlyList<FrequencyCap>> { [LifecycleTier.Active] = [new(TimeSpan.FromHours(16), 2)] },
            },
        };
        var orders = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            new[] { "1", "2", "3" }.Select((id, i) => KeyValuePair.Create(id, new OrderEntry { PlacedAt = T("2026-03-20T15:00Z").AddDays(i), FirstSeenAt = T("2026-03-20T15:00Z"), Total = 10m })));
        var active = ProfileReducer.Summarise(Sent(Ana(), "2026-04-01T13:00Z") with { Orders = orders });
        var occasional = Sent(Ana(), "2026-04-01T13:00Z");
        var now = T("2026-04-01T15:00Z");

        Assert.Equal(LifecycleTier.Active, LifecycleTier.At(active, now));
        Assert.Equal(SendVerdict.SendNow, SendPolicy.Schedule(active, Journey, "marketing", false, store, now).Verdict);
        Assert.Equal(SendVerdict.Defer, SendPolicy.Schedule(occasional, Journey, "marketing", false, store, now).Verdict);
    }

    public static TheoryData<string, string, string, string> Windows => new()
    {
        // window,        now (local New York),                sent at (local New York)
        { "22:00-06:00",  "2026-04-01T12:00", "2026-04-01T22:00", "a window that wraps midnight opens in the evening" },
        { "22:00-06:00",  "2026-04-01T23:30", "2026-04-01T23:30", "open before midnight" },
        { "22:00-06:00",  "2026-04-01T05:59", "2026-04-01T05:59", "open after midnight" },
        { "22:00-06:00",  "2026-04-01T06:00", "2026-04-01T22:00", "closed at its end" },
        { "09:00-21:00",  "2026-03-08T05:00", "2026-03-08T09:00", "spring-forward day: 09:00 EDT" },
        { "02:30-21:00",  "2026-03-08T01:00", "2026-03-08T03:00", "an opening the clocks skip opens at the change" },
        { "09:00-21:00",  "2026-11-01T01:30", "2026-11-01T09:00", "fall-back day: 09:00 EST" },
        { "00:00-00:00",  "2026-04-01T03:00", "2026-04-01T03:00", "start = end: no quiet hours" },
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public void send_windows_in_the_recipients_zone(string window, string now, string sentAt, string @case)
    {
        var parts = window.Split('-');
        var store = Store with { Policy = new MessagePolicy { SendWindowStart = TimeOnly.Parse(parts[0], CultureInfo.InvariantCulture), SendWindowEnd = TimeOnly.Parse(parts[1], CultureInfo.InvariantCulture) } };
        var at = T(now + " America/New_York");

        var result = SendPolicy.Schedule(Ana(), Journey, "marketing", false, store, at);

        Assert.True(result.Verdict != SendVerdict.Skip, $"{@case}: {result}");
        Assert.Equal(T(sentAt + " America/New_York"), result.Until ?? at);
    }

    [Fact]
    public void the_schedule_is_deterministic_and_a_deferred_time_is_itself_allowed()
    {
        var profile = Sent(Ana(zone: "Asia/Tokyo"), "2026-04-01T01:00Z", "2026-03-20T01:00Z", "2026-03-10T01:00Z", "2026-03-05T01:00Z");
        var first = SendPolicy.Schedule(profile, Journey, "marketing", false, Store, T("2026-04-01T10:00Z"));
        var again = SendPolicy.Schedule(profile, Journey, "marketing", false, Store, T("2026-04-01T10:00Z"));

        Assert.Equal(first, again);
        Assert.Equal(SendVerdict.SendNow, SendPolicy.Schedule(profile, Journey, "marketing", false, Store, first.Until!.Value).Verdict);
    }

    // ---- the gate before the provider call ----

    private static readonly StoreSettings QuotaStore = Store with { Policy = new MessagePolicy { MonthlyMarketingQuota = 10000 } };
    private static readonly DateTimeOffset Dispatch = T("2026-11-10T15:00Z");

    public static TheoryData<string, CustomerProfile, string, string?, string[], int, string?> Gates => new()
    {
        // case,                                   profile,              category,    address reason, opted out,  sent this month, refused because
        { "clear",                                 Ana(),                "marketing", null,           [],         9999,            null },
        { "quota used",                            Ana(),                "marketing", null,           [],         10000,           "quota: the store's 10000 marketing emails for 2026-11 are used" },
        { "quota does not limit service email",    Ana(),                "service",   null,           [],         10000,           null },
        { "unsubscribed on the list",              Ana(),                "service",   "unsubscribed", [],         0,               "suppressed: unsubscribed" },
        { "bounced on the list",                   Ana(),                "marketing", "bounced",      [],         0,               "suppressed: bounced" },
        { "opted out of the journey on the list",  Ana(),                "marketing", null,           [Journey],  0,               $"suppressed: opted out of journey '{Journey}'" },
        { "consent withdrawn since the decision",  Ana("unsubscribed"),  "marketing", null,           [],         0,               "no marketing consent (consent is unsubscribed)" },
        { "service despite no consent",            Ana("unsubscribed"),  "service",   null,           [],         0,               null },
    };

    [Theory]
    [MemberData(nameof(Gates))]
    public void the_gate_refuses_with_the_reason(string @case, CustomerProfile profile, string category, string? reason, string[] optedOut, int sent, string? refused)
    {
        var address = new AddressStatus(reason, optedOut.ToHashSet(StringComparer.Ordinal));

        var result = SendPolicy.Gate(profile, Journey, category, address, sent, QuotaStore, Dispatch);

        Assert.True(result == (refused is null ? GateResult.Allowed : new GateResult(false, refused)), $"{@case}: {result}");
    }

    [Fact]
    public void the_gate_reads_journey_and_category_from_the_outbox_action_and_a_missing_category_is_marketing()
    {
        var action = new Automation.Core.Journeys.Engine.JourneyAction("j.1.1", "sendEmail", Journey, 1, 1, "send", Dispatch);

        Assert.Equal("quota: the store's 10000 marketing emails for 2026-11 are used", SendPolicy.Gate(Ana(), action, AddressStatus.Clear, 10000, QuotaStore, Dispatch).Reason);
        Assert.True(SendPolicy.Gate(Ana(), action with { Category = "service" }, AddressStatus.Clear, 10000, QuotaStore, Dispatch).Send);
        Assert.Equal("2026-11", SendPolicy.QuotaMonth(Dispatch));
    }
}
