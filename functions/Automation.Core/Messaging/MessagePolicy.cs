namespace Automation.Core.Messaging;

/// <summary>At most <see cref="Max"/> marketing emails to one customer in any <see cref="Window"/>.</summary>
public sealed record FrequencyCap(TimeSpan Window, int Max);

/// <summary>
/// A store's rules for when a customer may get email: frequency caps over rolling windows
/// (overridable per lifecycle tier), the daily send window in the recipient's time zone (outside it
/// are quiet hours), and a monthly quota of marketing sends for the whole store.
/// </summary>
public sealed record MessagePolicy
{
    /// <summary>Caps for every customer whose tier has none of its own. Default: 1 in 16 hours, 4 in 30 days.</summary>
    public IReadOnlyList<FrequencyCap> Caps { get; init; } = [new(TimeSpan.FromHours(16), 1), new(TimeSpan.FromDays(30), 4)];

    /// <summary>Caps by lifecycle tier (<c>new</c>, <c>active</c>, <c>vip</c>, …), replacing <see cref="Caps"/> for that tier.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<FrequencyCap>> TierCaps { get; init; } = new Dictionary<string, IReadOnlyList<FrequencyCap>>();

    /// <summary>Local time from which email may be sent each day.</summary>
    public TimeOnly SendWindowStart { get; init; } = new(9, 0);

    /// <summary>Local time until which email may be sent each day; the rest of the day is quiet hours.</summary>
    public TimeOnly SendWindowEnd { get; init; } = new(21, 0);

    /// <summary>Marketing sends the store may make per calendar month (UTC); null: no quota.</summary>
    public int? MonthlyMarketingQuota { get; init; }

    public static readonly MessagePolicy Default = new();
}
