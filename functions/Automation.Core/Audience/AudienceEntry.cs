using Automation.Core.Messaging;
using Automation.Core.Profiles;

namespace Automation.Core.Audience;

/// <summary>
/// One customer as a broadcast (a pre-holiday push to a whole store) sees them before it reads any
/// profile: enough to choose the recipient (consent, tier, spend, categories) and schedule the send
/// (time zone, locale), kept in the sharded <c>audience</c> index. No address and no names: they stay
/// in the profile, which the send reads anyway to compose the email. A row is still pseudonymous
/// personal data (a guest's key is a hash of the address, which a list of addresses re-identifies),
/// so erasure deletes it and the API that lists rows is admin-only.
/// </summary>
/// <param name="CanEmailMarketing">What the send policy says from the profile alone
/// (<see cref="SendPolicy.CanEmail"/>, marketing): an address, not unsubscribed or suppressed, opted in. The
/// store's suppression list and per-journey opt-outs are checked at send time, not here.</param>
/// <param name="RecentOrders">The newest <see cref="LifecycleTier.ActiveOrders"/> times of orders that count, newest
/// first: all the tier's "orders in the last 90 days" needs (see <see cref="TierAt"/>).</param>
/// <param name="Currency">The currency of the newest order that named one (the totals are in the store's currency).</param>
/// <param name="TopCategories">At most <see cref="MaxCategories"/> categories, most units bought first (see <see cref="From"/>).</param>
public sealed record AudienceEntry(
    string StoreId,
    string CustomerKey,
    bool CanEmailMarketing,
    int OrderCount,
    decimal TotalSpent,
    string? Currency,
    DateTimeOffset? FirstOrderAt,
    DateTimeOffset? LastOrderAt,
    IReadOnlyList<DateTimeOffset> RecentOrders,
    string? TimeZone,
    string? Locale,
    string? Country,
    IReadOnlyList<string> TopCategories)
{
    public const int MaxCategories = 5;

    /// <summary>
    /// The entry for a profile, or null when the customer is not to be indexed: erased (the tombstone
    /// keeps no address), or never gave an address, so no email of any kind can reach them. A customer
    /// without marketing consent is indexed with <see cref="CanEmailMarketing"/> false: consent comes
    /// back (a new opt-in, an unsubscribe lifted), and a flag flip is one write where leaving and
    /// re-entering the index would be the same write plus a delete.
    /// <para>Top categories: the first <see cref="MaxCategories"/> of <see cref="PurchasedCategories.Ranked"/>
    /// (units bought, over the orders that count), spelled as bought.</para>
    /// </summary>
    public static AudienceEntry? From(CustomerProfile? profile)
    {
        if (profile is not { Email: not null, StoreId: var store, CustomerKey: var key } p) return null;
        var counted = p.Orders.Values.Where(o => o.Counts).ToList();
        return new AudienceEntry(
            store,
            key,
            SendPolicy.CanEmail(p, SendPolicy.Marketing),
            p.OrderCount,
            p.TotalSpent,
            p.Orders.Values.Where(o => o.Currency is not null).MaxBy(o => o.At)?.Currency,
            p.FirstOrderAt?.ToUniversalTime(),
            p.LastOrderAt?.ToUniversalTime(),
            [.. counted.Select(o => o.At.ToUniversalTime()).OrderDescending().Take(LifecycleTier.ActiveOrders)],
            p.TimeZone,
            p.Locale,
            p.Country,
            [.. PurchasedCategories.Ranked(p).Take(MaxCategories)]);
    }

    /// <summary>
    /// The lifecycle tier as of <paramref name="now"/>, by the profile's own rule (<see cref="LifecycleTier.Of"/>).
    /// The same as the profile's for any <paramref name="now"/> at or after the newest order, which is when a
    /// broadcast asks; before it, orders newer than <paramref name="now"/> would have to be left out, and the
    /// entry keeps too few to know which older ones remain.
    /// </summary>
    public string TierAt(DateTimeOffset now) => LifecycleTier.Of(OrderCount, FirstOrderAt, LastOrderAt, RecentOrders, now);

    /// <summary>Value equality, lists included: "did the entry change?" is this comparison, and only a change is written.</summary>
    public bool Equals(AudienceEntry? other) =>
        other is not null
        && StoreId == other.StoreId && CustomerKey == other.CustomerKey && CanEmailMarketing == other.CanEmailMarketing
        && OrderCount == other.OrderCount && TotalSpent == other.TotalSpent && Currency == other.Currency
        && FirstOrderAt == other.FirstOrderAt && LastOrderAt == other.LastOrderAt && RecentOrders.SequenceEqual(other.RecentOrders)
        && TimeZone == other.TimeZone && Locale == other.Locale && Country == other.Country
        && TopCategories.SequenceEqual(other.TopCategories, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(StoreId, CustomerKey, OrderCount, TotalSpent, LastOrderAt, CanEmailMarketing);
}
