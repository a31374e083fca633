using System.Collections.Immutable;
using Automation.Core.Events;
using Automation.Core.Stores;

namespace Automation.Core.Profiles;

/// <summary>The outcome of applying one event: the new profile, or why nothing changed.</summary>
public sealed record ProfileChange(CustomerProfile Profile, string? IgnoredReason = null);

/// <summary>
/// Applies one event to one profile: a pure function of (profile, event, store, now).
/// Every fact merges commutatively (earliest placement, latest identity, set union of refunds,
/// consent by its own timestamp), so events arriving in any order, or twice, give one profile.
/// </summary>
public static class ProfileReducer
{
    /// <summary>Orders kept individually; older ones are folded into <see cref="ArchivedOrders"/>.</summary>
    public const int MaxOrdersKept = 100;

    /// <summary>Complaints kept; the oldest closed ones are dropped first.</summary>
    public const int MaxComplaintsKept = 50;

    /// <summary>Categories kept per order, the most units first: a 60-line order does not bloat the ledger.</summary>
    public const int MaxCategoriesPerOrder = 10;

    /// <summary>Longest category name kept; longer ones are cut (a product type is a short label).</summary>
    public const int MaxCategoryLength = 64;

    public static ProfileChange Apply(CustomerProfile? current, CustomerEvent e, StoreSettings store, DateTimeOffset now)
    {
        var p = current ?? new CustomerProfile
        {
            StoreId = e.StoreId,
            CustomerKey = e.CustomerKey,
            FirstSeenAt = e.OccurredAt,
            TimeZone = store.TimeZone,
            TimeZoneSource = "store",
        };

        if (e.Type == EventTypes.CustomerRedacted)
            return new ProfileChange(Redacted(p, e, now));
        if (p.RedactedAt is { } redactedAt && e.OccurredAt <= redactedAt)
            return new ProfileChange(p, "the customer's data was erased after this event occurred");

        p = ApplyIdentity(p, e, store);
        p = ApplyConsent(p, e);
        if (e.Order is { } order) p = ApplyOrder(p, e, order);
        p = ApplyComplaint(p, e);
        p = ApplyMailing(p, e);

        p = p with
        {
            FirstSeenAt = Min(p.FirstSeenAt, e.OccurredAt),
            // Unsubscribes and bounces are not the customer shopping: they leave activity (and tier) alone.
            LastActivityAt = RecipientSide.Contains(e.Type) ? p.LastActivityAt : Max(p.LastActivityAt, e.OccurredAt),
            UpdatedAt = now,
        };
        return new ProfileChange(Summarise(p));
    }

    private static CustomerProfile Redacted(CustomerProfile p, CustomerEvent e, DateTimeOffset now) => new()
    {
        StoreId = p.StoreId,
        CustomerKey = p.CustomerKey,
        FirstSeenAt = e.OccurredAt,
        UpdatedAt = now,
        RedactedAt = Max(p.RedactedAt, e.OccurredAt),
    };

    private static CustomerProfile ApplyIdentity(CustomerProfile p, CustomerEvent e, StoreSettings store)
    {
        if (e.Customer is not { } c) return p;
        var newer = p.IdentityUpdatedAt is not { } seen || e.OccurredAt >= seen;
        string? Pick(string? incoming, string? existing) =>
            incoming is null ? existing : existing is null || newer ? incoming : existing;

        var country = Pick(c.Country?.ToUpperInvariant(), p.Country);
        var (zone, zoneSource) = (c.TimeZone, p.TimeZoneSource) switch
        {
            ({ } stated, _) when newer || p.TimeZoneSource != "customer" => (stated, "customer"),
            (_, "customer") => (p.TimeZone, "customer"),
            _ when CountryTimeZones.For(country) is { } inferred => (inferred, "country"),
            _ => (store.TimeZone, "store"),
        };

        return p with
        {
            ExternalId = Pick(c.ExternalId, p.ExternalId),
            Email = Pick(c.Email, p.Email),
            FirstName = Pick(c.FirstName, p.FirstName),
            LastName = Pick(c.LastName, p.LastName),
            Locale = Pick(c.Locale, p.Locale),
            Country = country,
            TimeZone = zone,
            TimeZoneSource = zoneSource,
            IdentityUpdatedAt = newer ? e.OccurredAt : p.IdentityUpdatedAt,
        };
    }

    private static CustomerProfile ApplyConsent(CustomerProfile p, CustomerEvent e)
    {
        if (e.Customer?.Consent is not { } c) return p;
        return p.Consent.At is { } known && c.At < known ? p : p with { Consent = new Consent(c.State, c.Source, c.At) };
    }

    private static CustomerProfile ApplyOrder(CustomerProfile p, CustomerEvent e, OrderFacts facts)
    {
        if (!p.Orders.TryGetValue(facts.OrderId, out var entry))
        {
            // An order older than everything kept was folded into the archive already.
            if (p.Orders.Count >= MaxOrdersKept && p.Orders.Values.Min(o => o.At) > e.OccurredAt)
                return p;
            entry = new OrderEntry { FirstSeenAt = e.OccurredAt };
        }

        entry = entry with { FirstSeenAt = Min(entry.FirstSeenAt, e.OccurredAt) };
        if (facts.Total is { } total && (entry.TotalAt is not { } totalAt || e.OccurredAt >= totalAt))
            entry = entry with { Total = total, TotalAt = e.OccurredAt, Currency = facts.Currency ?? entry.Currency };
        if (facts.DiscountCodes is { Count: > 0 } codes)
            entry = entry with { DiscountCodes = entry.DiscountCodes.Union(codes.Select(x => x.ToUpperInvariant())) };
        if (facts.Lines is { Count: > 0 } lines)
            entry = entry with { Categories = MergeCategories(entry.Categories, lines) };

        entry = e.Type switch
        {
            EventTypes.OrderPlaced => entry with { PlacedAt = Min(entry.PlacedAt, e.OccurredAt) },
            EventTypes.OrderPaid => entry with { Paid = true },
            EventTypes.OrderFulfilled => entry with { Fulfilled = true },
            EventTypes.OrderDelivered => entry with { Fulfilled = true, DeliveredAt = Min(entry.DeliveredAt, e.OccurredAt) },
            EventTypes.OrderCancelled => entry with { CancelledAt = Min(entry.CancelledAt, e.OccurredAt) },
            EventTypes.OrderRefunded when facts.RefundAmount is { } amount =>
                entry with { Refunds = entry.Refunds.SetItem(facts.RefundId ?? "full", amount) },
            _ => entry,
        };

        var orders = p.Orders.SetItem(facts.OrderId, entry);
        var archived = p.Archived;
        while (orders.Count > MaxOrdersKept)
        {
            var oldest = orders.MinBy(o => o.Value.At);
            orders = orders.Remove(oldest.Key);
            if (oldest.Value.Counts)
                archived = new ArchivedOrders(archived.Count + 1, archived.Spent + oldest.Value.Net, Min(archived.FirstOrderAt, oldest.Value.At));
        }
        return p with { Orders = orders, Archived = archived };
    }

    /// <summary>
    /// Units per category of this event's lines, merged with what the order had by the larger count per
    /// category (two events about one order describe the same lines: they must not add up), then the
    /// <see cref="MaxCategoriesPerOrder"/> with the most units. Both steps commute, so the arrival order
    /// does not matter. A line without a quantity (0) still counts as one unit.
    /// </summary>
    private static ImmutableSortedDictionary<string, int>? MergeCategories(ImmutableSortedDictionary<string, int>? kept, IReadOnlyList<OrderLine> lines)
    {
        var units = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines)
            if (CategoryName(line.Category) is { } name)
                units[name] = (int)Math.Min(int.MaxValue, (long)units.GetValueOrDefault(name) + Math.Max(1, line.Quantity));
        if (units.Count == 0) return kept;
        foreach (var (name, n) in kept ?? ImmutableSortedDictionary<string, int>.Empty)
            units[name] = Math.Max(units.GetValueOrDefault(name), n);
        return units.OrderByDescending(u => u.Value).ThenBy(u => u.Key, StringComparer.Ordinal).Take(MaxCategoriesPerOrder)
            .ToImmutableSortedDictionary(u => u.Key, u => u.Value, StringComparer.Ordinal);
    }

    private static string? CategoryName(string? category)
    {
        var name = category?.Trim();
        if (string.IsNullOrEmpty(name)) return null;
        if (name.Length <= MaxCategoryLength) return name;
        var cut = char.IsHighSurrogate(name[MaxCategoryLength - 1]) ? MaxCategoryLength - 1 : MaxCategoryLength;
        return name[..cut].TrimEnd();
    }

    private static CustomerProfile ApplyComplaint(CustomerProfile p, CustomerEvent e)
    {
        if (e.Type is not (EventTypes.ComplaintOpened or EventTypes.ComplaintClosed)) return p;
        var id = e.Data?["complaintId"]?.ToString() ?? "default";
        var entry = p.Complaints.GetValueOrDefault(id) ?? new ComplaintEntry(null, null);
        entry = e.Type == EventTypes.ComplaintOpened
            ? entry with { LastOpenedAt = Max(entry.LastOpenedAt, e.OccurredAt) }
            : entry with { LastClosedAt = Max(entry.LastClosedAt, e.OccurredAt) };
        var complaints = p.Complaints.SetItem(id, entry);
        while (complaints.Count > MaxComplaintsKept)
        {
            var drop = complaints.Where(c => !c.Value.IsOpen).MinBy(c => c.Value.LastClosedAt ?? c.Value.LastOpenedAt);
            complaints = complaints.Remove(drop.Key ?? complaints.Keys.First());
        }
        return p with { Complaints = complaints };
    }

    private static readonly HashSet<string> RecipientSide = new(StringComparer.Ordinal)
    {
        EventTypes.EmailUnsubscribed, EventTypes.EmailSuppressed, EventTypes.EmailUnsuppressed,
    };

    /// <summary>Unsubscribes, journey opt-outs and suppressions, each kept by its latest time.</summary>
    private static CustomerProfile ApplyMailing(CustomerProfile p, CustomerEvent e)
    {
        var m = p.Mailing;
        var at = e.OccurredAt;
        switch (e.Type)
        {
            case EventTypes.EmailUnsubscribed when Text(e, "scope") == "journey":
                if (Text(e, "journey") is not { Length: > 0 } journey) return p;
                m = m with { OptedOut = m.OptedOut.SetItem(journey, m.OptedOut.TryGetValue(journey, out var was) ? Max(was, at) : at) };
                break;
            case EventTypes.EmailUnsubscribed:
                m = m with { UnsubscribedAt = Max(m.UnsubscribedAt, at) };
                break;
            case EventTypes.EmailSuppressed:
                var reason = Text(e, "reason") ?? "blocked";
                // The latest suppression names the reason; on a tie the larger name, so the order of arrival does not matter.
                if (m.SuppressedAt is not { } seen || at > seen || (at == seen && string.CompareOrdinal(reason, m.SuppressedReason) > 0))
                    m = m with { SuppressedAt = at, SuppressedReason = reason };
                break;
            case EventTypes.EmailUnsuppressed:
                m = m with { UnsuppressedAt = Max(m.UnsuppressedAt, at) };
                break;
            default:
                return p;
        }
        return p with { Mailing = m };
    }

    private static string? Text(CustomerEvent e, string name) =>
        e.Data?[name] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Recomputes every derived member from the ledgers.</summary>
    public static CustomerProfile Summarise(CustomerProfile p)
    {
        var counted = p.Orders.Values.Where(o => o.Counts).ToList();
        return p with
        {
            OrderCount = p.Archived.Count + counted.Count,
            TotalSpent = p.Archived.Spent + counted.Sum(o => o.Net),
            FirstOrderAt = counted.Count == 0 ? p.Archived.FirstOrderAt : Min(p.Archived.FirstOrderAt, counted.Min(o => o.At)),
            LastOrderAt = counted.Count == 0 ? p.Archived.FirstOrderAt : counted.Max(o => o.At),
            OpenComplaints = p.Complaints.Values.Count(c => c.IsOpen),
        };
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
    private static DateTimeOffset Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x <= b ? x : b;
    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : Min(a.Value, b.Value);
    private static DateTimeOffset Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x >= b ? x : b;
}
