using System.Collections.Immutable;

namespace Automation.Core.Profiles;

/// <summary>
/// One customer of one store: identity, consent, and the compact order and complaint ledgers
/// from which every aggregate is derived. Derived members are recomputed on every change, so
/// the profile is the same whatever order its events arrived in.
/// Persisted as JSON in the profile row; <see cref="SchemaVersion"/> versions that document.
/// </summary>
public sealed record CustomerProfile
{
    public int SchemaVersion { get; init; } = 1;
    public required string StoreId { get; init; }
    public required string CustomerKey { get; init; }

    public string? ExternalId { get; init; }
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Locale { get; init; }
    public string? Country { get; init; }

    /// <summary>Effective IANA zone; see <see cref="TimeZoneSource"/> for where it came from.</summary>
    public string? TimeZone { get; init; }

    /// <summary><c>customer</c> (stated), <c>country</c> (inferred) or <c>store</c> (default).</summary>
    public string? TimeZoneSource { get; init; }

    /// <summary>Time of the newest event whose identity facts were applied.</summary>
    public DateTimeOffset? IdentityUpdatedAt { get; init; }

    public Consent Consent { get; init; } = Consent.Unknown;

    public ImmutableSortedDictionary<string, OrderEntry> Orders { get; init; } =
        ImmutableSortedDictionary.Create<string, OrderEntry>(StringComparer.Ordinal);

    /// <summary>Orders folded out of <see cref="Orders"/> when the ledger outgrew its cap.</summary>
    public ArchivedOrders Archived { get; init; } = ArchivedOrders.None;

    public ImmutableSortedDictionary<string, ComplaintEntry> Complaints { get; init; } =
        ImmutableSortedDictionary.Create<string, ComplaintEntry>(StringComparer.Ordinal);

    public ImmutableSortedSet<string> Tags { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    /// <summary>Recent marketing sends, unsubscribes, journey opt-outs and suppression: what the send policy reads.</summary>
    public EmailStatus Mailing { get; init; } = EmailStatus.None;

    // Derived from the ledgers by ProfileReducer.Summarise.
    public int OrderCount { get; init; }
    public decimal TotalSpent { get; init; }
    public DateTimeOffset? FirstOrderAt { get; init; }
    public DateTimeOffset? LastOrderAt { get; init; }
    public int OpenComplaints { get; init; }

    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset? LastActivityAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Set when the customer's data was erased; events older than this are ignored.</summary>
    public DateTimeOffset? RedactedAt { get; init; }
}

/// <summary>Marketing consent and where it came from (GDPR: be able to prove it).</summary>
public sealed record Consent(string State, string? Source, DateTimeOffset? At)
{
    public static readonly Consent Unknown = new("unknown", null, null);

    /// <summary>True only for an explicit opt-in.</summary>
    public bool AllowsMarketing => State is "subscribed";
}

/// <summary>What is known of one order. Facts merge commutatively (min, max, or).</summary>
public sealed record OrderEntry
{
    /// <summary>When the order was placed, once an event says so.</summary>
    public DateTimeOffset? PlacedAt { get; init; }

    /// <summary>Earliest evidence of the order; its time when <see cref="PlacedAt"/> is unknown.</summary>
    public DateTimeOffset FirstSeenAt { get; init; }

    public decimal? Total { get; init; }
    public DateTimeOffset? TotalAt { get; init; }
    public string? Currency { get; init; }
    public bool Paid { get; init; }
    public bool Fulfilled { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }

    public ImmutableSortedDictionary<string, decimal> Refunds { get; init; } =
        ImmutableSortedDictionary.Create<string, decimal>(StringComparer.Ordinal);

    public ImmutableSortedSet<string> DiscountCodes { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    /// <summary>
    /// Units bought per product category (the lines' <see cref="Events.OrderLine.Category"/>, Shopify's product
    /// type), at most <see cref="ProfileReducer.MaxCategoriesPerOrder"/> of them: what a promotion is personalised
    /// from. Null when no line named a category (WooCommerce's webhooks never do), so those orders cost no bytes.
    /// Merged by the larger count per category, so a repeated or late event leaves it as it is.
    /// </summary>
    public ImmutableSortedDictionary<string, int>? Categories { get; init; }

    public DateTimeOffset At => PlacedAt ?? FirstSeenAt;
    public bool Counts => CancelledAt is null;
    public decimal Net => Math.Max(0m, (Total ?? 0m) - Refunds.Values.Sum());
}

public sealed record ArchivedOrders(int Count, decimal Spent, DateTimeOffset? FirstOrderAt)
{
    public static readonly ArchivedOrders None = new(0, 0m, null);
}

/// <summary>A complaint's latest open and close times; open while the last opening is newer.</summary>
public sealed record ComplaintEntry(DateTimeOffset? LastOpenedAt, DateTimeOffset? LastClosedAt)
{
    public bool IsOpen => LastOpenedAt is { } o && (LastClosedAt is not { } c || o > c);
}
