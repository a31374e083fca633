using System.Text.Json.Nodes;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Functions.Hosting;
using Automation.Functions.Queues;
using Automation.Functions.Reports;
using Automation.Functions.Suppression;

namespace Automation.Functions.Webhooks.SendGrid;

/// <summary>
/// What SendGrid's events mean here. Bounces (not temporary blocks), drops and spam reports suppress the
/// address and tell the customer (<c>email.suppressed</c>); unsubscribes suppress it as
/// <c>unsubscribed</c> and tell the customer (<c>email.unsubscribed</c>, scope all). A
/// <c>group_unsubscribe</c> is treated the same: each store sends all its marketing under one
/// unsubscribe group (<c>UnsubscribeGroupId</c>), so leaving the group is leaving all of it. Delivered,
/// open, click and the above count for the step that sent the message.
/// </summary>
public sealed class SendGridEventApplier(ProviderEventLog seen, SuppressionList suppressions, IEventQueue queue, JourneyStats stats,
    StoreDirectory stores, TimeProvider time)
{
    public const string Source = "sendgrid";

    public sealed record Outcome(int Applied, int Duplicates, int Ignored);

    private static readonly Dictionary<string, string> Suppresses = new(StringComparer.Ordinal)
    {
        ["bounce"] = SuppressionReasons.Bounced,
        ["dropped"] = SuppressionReasons.Dropped,
        ["spamreport"] = SuppressionReasons.SpamReport,
        ["unsubscribe"] = SuppressionReasons.Unsubscribed,
        ["group_unsubscribe"] = SuppressionReasons.Unsubscribed,
    };

    private static readonly Dictionary<string, string> Counts = new(StringComparer.Ordinal)
    {
        ["delivered"] = JourneyMetrics.Delivered,
        ["open"] = JourneyMetrics.Open,
        ["click"] = JourneyMetrics.Click,
        ["bounce"] = JourneyMetrics.Bounce,
        ["dropped"] = JourneyMetrics.Dropped,
        ["spamreport"] = JourneyMetrics.SpamReport,
        ["unsubscribe"] = JourneyMetrics.Unsubscribe,
        ["group_unsubscribe"] = JourneyMetrics.Unsubscribe,
    };

    public async Task<Outcome> ApplyAsync(IReadOnlyList<SendGridEvent> events, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // Events that are not ours (no custom_args, another store, a type we do not use) are acknowledged and forgotten.
        var ours = events.Where(e => e.IsOurs && stores.TryGet(e.Store!, out _) && (Suppresses.ContainsKey(e.Type) || Counts.ContainsKey(e.Type)))
            .Select(e => (Event: e, Key: ProviderEventLog.For(Source, e.Store!, e.Day(now), e.Id)))
            .ToList();
        var fresh = new HashSet<ProviderEventLog.Key>();
        List<(SendGridEvent Event, ProviderEventLog.Key Key)> apply;
        try
        {
            await seen.AddNewAsync(ours.Select(o => (o.Key, o.Event.Type)), now, fresh, ct);
            apply = [.. ours.Where(o => fresh.Contains(o.Key)).DistinctBy(o => o.Key)];
            await ApplyNewAsync([.. apply.Select(o => o.Event)], now, ct);
        }
        catch
        {
            // Forget them so the redelivery applies them; suppressing and publishing again are harmless
            // (same suppression, same event ids). Counters already incremented may count twice: they are statistics.
            if (fresh.Count > 0) await seen.RemoveAsync(fresh, CancellationToken.None);
            throw;
        }
        return new Outcome(apply.Count, ours.Count - apply.Count, events.Count - ours.Count);
    }

    private async Task ApplyNewAsync(IReadOnlyList<SendGridEvent> events, DateTimeOffset now, CancellationToken ct)
    {
        var told = new List<CustomerEvent>();
        var suppressed = new HashSet<(string, string, string)>();
        foreach (var e in events)
        {
            if (!Suppresses.TryGetValue(e.Type, out var reason) || e.IsTemporaryBlock) continue;
            var at = e.At ?? now;
            if (EmailAddress.Normalise(e.Email) is { } email && suppressed.Add((e.Store!, email, reason)))
                await suppressions.SuppressAsync(e.Store!, email, reason, Source, at, ct);
            var id = "sendgrid-" + Core.Ingestion.EventIds.Safe(e.Id);
            told.Add(reason == SuppressionReasons.Unsubscribed
                ? SuppressionEvents.Unsubscribed(id, e.Store!, e.Customer!, SuppressionEvents.ScopeAll, null, Source, at, now, Extra(e))
                : SuppressionEvents.Suppressed(id, e.Store!, e.Customer!, reason, Source, at, now, Extra(e)));
        }
        if (told.Count > 0) await queue.PublishAsync(told, ct);

        // One increment per distinct counter, not per event: a delivery of 500 opens is a handful of writes.
        var counters = events
            .Where(e => e.Journey is not null && Counts.ContainsKey(e.Type))
            .GroupBy(e => (e.Store!, e.Journey!, e.Step, Metric: e.IsTemporaryBlock ? JourneyMetrics.Blocked : Counts[e.Type]));
        foreach (var c in counters)
            await stats.IncrementAsync(c.Key.Item1, c.Key.Item2, c.Key.Step, c.Key.Metric, c.Count(), ct: ct);
    }

    private static JsonObject Extra(SendGridEvent e)
    {
        // Not data.journey: on email.unsubscribed that names the one journey opted out of, and this is scope all.
        var data = new JsonObject { ["event"] = e.Type };
        if (e.SendId is not null) data["send"] = e.SendId;
        return data;
    }
}
