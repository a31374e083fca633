using System.Globalization;
using Automation.Core.Journeys.Calendar;
using Automation.Core.Journeys.Engine;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Core.Messaging;

/// <summary>What the policy says about an email due now.</summary>
public enum SendVerdict
{
    SendNow,
    Defer,
    Skip,
}

/// <param name="Until">For <see cref="SendVerdict.Defer"/>: the earliest instant every rule allows.</param>
/// <param name="Reason">Why it is deferred or skipped, in words for the customer's history.</param>
public sealed record SendSchedule(SendVerdict Verdict, DateTimeOffset? Until = null, string? Reason = null)
{
    public static readonly SendSchedule Now = new(SendVerdict.SendNow);
    public static SendSchedule Skip(string reason) => new(SendVerdict.Skip, null, reason);
    public static SendSchedule Defer(DateTimeOffset until, string reason) => new(SendVerdict.Defer, until, reason);
}

/// <summary>The address as the store's suppression list has it, read fresh at dispatch.</summary>
/// <param name="SuppressedReason"><c>unsubscribed</c>, <c>bounced</c>, <c>dropped</c>, <c>spamreport</c>, <c>blocked</c>, or null.</param>
/// <param name="OptedOutJourneys">Journeys the recipient opted out of.</param>
public sealed record AddressStatus(string? SuppressedReason, IReadOnlySet<string> OptedOutJourneys)
{
    public static readonly AddressStatus Clear = new(null, new HashSet<string>(StringComparer.Ordinal));
}

/// <summary>The gate's answer right before the provider call: send, or refuse with the reason.</summary>
public sealed record GateResult(bool Send, string? Reason = null)
{
    public static readonly GateResult Allowed = new(true);
}

/// <summary>
/// The one place that decides whether an email may go out, and when. Pure: the profile, the store's
/// policy and <c>now</c> in, a verdict out. <see cref="Schedule"/> runs when a journey reaches a
/// sendEmail step; <see cref="Gate"/> runs again right before the provider call, on facts read fresh
/// (an unsubscribe or a bounce may have come in between, and the store's monthly quota is shared).
/// </summary>
public static class SendPolicy
{
    public const string Marketing = "marketing", Service = "service";

    /// <summary>How far ahead a deferral is searched; a policy that allows nothing within it skips.</summary>
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(400);

    /// <summary>
    /// Checks, in order: an address, unsubscribed from all, suppressed, opted out of this journey,
    /// marketing consent; then (marketing only) the frequency caps of the customer's tier or the
    /// store, and (every email) the send window in the recipient's zone. A send that is not allowed
    /// now is deferred to the earliest instant both caps and window allow, or skipped when capped
    /// and <paramref name="skipWhenCapped"/> (quiet hours always defer).
    /// </summary>
    public static SendSchedule Schedule(CustomerProfile profile, string journeyId, string category, bool skipWhenCapped, StoreSettings store, DateTimeOffset now)
    {
        if (Refusal(profile, journeyId, category) is { } refused) return SendSchedule.Skip(refused);

        var policy = store.Messaging;
        var zone = LocalTime.Zone(profile.TimeZone ?? store.TimeZone);
        var caps = category == Marketing ? CapsFor(profile, policy, now) : [];

        var capped = EarliestUnderCaps(profile.Mailing.MarketingSends, caps, now, out var cap);
        if (cap is not null && skipWhenCapped)
            return SendSchedule.Skip($"capped: {Describe(cap)}");
        var allowed = NextInWindow(capped, policy.SendWindowStart, policy.SendWindowEnd, zone);
        if (allowed == now) return SendSchedule.Now;
        if (allowed - now > Horizon) return SendSchedule.Skip("no time in the next 400 days is allowed by the caps and the send window");

        var reasons = new List<string>();
        if (cap is not null) reasons.Add($"capped: {Describe(cap)}");
        if (allowed != capped)
            reasons.Add($"quiet hours: the send window is {Time(policy.SendWindowStart)}-{Time(policy.SendWindowEnd)} ({zone.Id})");
        return SendSchedule.Defer(allowed, string.Join("; ", reasons));
    }

    /// <summary>
    /// When a send that is already due (an outbox retry) must wait for the recipient's send window:
    /// null inside it, otherwise the window's next opening. The decision put the first attempt inside
    /// the window; a retry after a provider failure may have drifted out of it.
    /// </summary>
    public static DateTimeOffset? QuietUntil(CustomerProfile profile, StoreSettings store, DateTimeOffset now)
    {
        var policy = store.Messaging;
        var opens = NextInWindow(now, policy.SendWindowStart, policy.SendWindowEnd, LocalTime.Zone(profile.TimeZone ?? store.TimeZone));
        return opens == now ? null : opens;
    }

    /// <summary>
    /// Right before the provider call. <paramref name="marketingSentThisMonth"/> counts the store's
    /// marketing sends in the current UTC calendar month, this one not included.
    /// </summary>
    public static GateResult Gate(CustomerProfile profile, string journeyId, string category, AddressStatus address, int marketingSentThisMonth, StoreSettings store, DateTimeOffset now)
    {
        if (profile.Email is null) return new(false, "no email address");
        if (address.SuppressedReason is { } reason) return new(false, $"suppressed: {reason}");
        if (address.OptedOutJourneys.Contains(journeyId)) return new(false, OptedOut(journeyId));
        if (Refusal(profile, journeyId, category) is { } refused) return new(false, refused);
        if (category == Marketing && store.Messaging.MonthlyMarketingQuota is { } quota && marketingSentThisMonth >= quota)
            return new(false, string.Create(CultureInfo.InvariantCulture, $"quota: the store's {quota} marketing emails for {QuotaMonth(now)} are used"));
        return GateResult.Allowed;
    }

    /// <summary>The gate for an outbox email action (its journey and category).</summary>
    public static GateResult Gate(CustomerProfile profile, JourneyAction action, AddressStatus address, int marketingSentThisMonth, StoreSettings store, DateTimeOffset now) =>
        Gate(profile, action.JourneyId, action.Category ?? Marketing, address, marketingSentThisMonth, store, now);

    /// <summary>The calendar month (UTC) the quota counts in, <c>yyyy-MM</c>: the key of the store's monthly counter.</summary>
    public static string QuotaMonth(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The caps that apply: the tier's own (lifecycle tier as of now), else the store's.</summary>
    public static IReadOnlyList<FrequencyCap> CapsFor(CustomerProfile profile, MessagePolicy policy, DateTimeOffset now) =>
        policy.TierCaps.TryGetValue(LifecycleTier.At(profile, now), out var own) ? own : policy.Caps;

    /// <summary>
    /// Whether the customer can get email of this category at all (address, not unsubscribed or
    /// suppressed, and consent for marketing), whatever the caps and the hour: what a journey checks
    /// before it spends a coupon on an email (conditions <c>customer.canEmail</c>, <c>customer.canEmailMarketing</c>).
    /// </summary>
    public static bool CanEmail(CustomerProfile profile, string category) => Refusal(profile, "", category) is null;

    private static string? Refusal(CustomerProfile profile, string journeyId, string category)
    {
        var mailing = profile.Mailing;
        if (profile.Email is null) return "no email address";
        if (mailing.UnsubscribedFromAll(profile.Consent)) return "suppressed: unsubscribed";
        if (mailing.Suppression is { } suppressed) return $"suppressed: {suppressed}";
        if (mailing.OptedOutOf(journeyId)) return OptedOut(journeyId);
        if (category != Service && !profile.Consent.AllowsMarketing) return $"no marketing consent (consent is {profile.Consent.State})";
        return null;
    }

    private static string OptedOut(string journeyId) => $"suppressed: opted out of journey '{journeyId}'";

    /// <summary>
    /// The earliest instant from <paramref name="now"/> at which every cap has room; <paramref name="binding"/>
    /// is the cap that pushed it latest, or null when none did. A cap of N in W has room at t when
    /// fewer than N sends are later than t - W (a send exactly W ago no longer counts).
    /// </summary>
    public static DateTimeOffset EarliestUnderCaps(IReadOnlyList<MarketingSend> sends, IReadOnlyList<FrequencyCap> caps, DateTimeOffset now, out FrequencyCap? binding)
    {
        binding = null;
        var at = now;
        foreach (var cap in caps)
        {
            if (cap.Max <= 0 || cap.Window <= TimeSpan.Zero) continue;
            var inWindow = sends.Where(s => s.At > now - cap.Window).Select(s => s.At).Order().ToList();
            if (inWindow.Count < cap.Max) continue;
            // The oldest sends must age out until only Max - 1 remain.
            var free = inWindow[inWindow.Count - cap.Max] + cap.Window;
            if (free > at)
            {
                at = free;
                binding = cap;
            }
        }
        return at;
    }

    /// <summary>Whether the local time at <paramref name="at"/> is in the window; a window may wrap midnight (22:00-06:00); start = end means always.</summary>
    public static bool InWindow(DateTimeOffset at, TimeOnly start, TimeOnly end, TimeZoneInfo zone)
    {
        if (start == end) return true;
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        return start < end ? local >= start && local < end : local >= start || local < end;
    }

    /// <summary>The first instant at or after <paramref name="at"/> inside the window: <paramref name="at"/> itself, or the next opening.</summary>
    public static DateTimeOffset NextInWindow(DateTimeOffset at, TimeOnly start, TimeOnly end, TimeZoneInfo zone)
    {
        if (InWindow(at, start, end, zone)) return at;
        var opening = LocalTime.Next(at, start, zone);
        // A start skipped by a spring-forward change opens at the change, which LocalTime.At gives.
        return opening;
    }

    public static string Describe(FrequencyCap cap) =>
        string.Create(CultureInfo.InvariantCulture, $"at most {cap.Max} marketing email{(cap.Max == 1 ? "" : "s")} in {Span(cap.Window)}");

    private static string Span(TimeSpan t) =>
        t.Ticks % TimeSpan.TicksPerDay == 0 ? Plural((int)t.TotalDays, "day")
        : t.Ticks % TimeSpan.TicksPerHour == 0 ? Plural((int)t.TotalHours, "hour")
        : Plural((int)Math.Ceiling(t.TotalMinutes), "minute");

    private static string Plural(int n, string unit) => string.Create(CultureInfo.InvariantCulture, $"{n} {unit}{(n == 1 ? "" : "s")}");

    private static string Time(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);
}
