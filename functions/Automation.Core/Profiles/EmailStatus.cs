using System.Collections.Immutable;

namespace Automation.Core.Profiles;

/// <summary>
/// What the send policy needs to know of one customer's email: the marketing emails sent lately
/// (for frequency caps), and the recipient's own decisions (unsubscribed from all, journeys opted
/// out of) and the provider's (bounced, spam report) or an admin's (blocked). Every fact keeps its
/// own time and merges by the latest, so the result does not depend on the order events arrive in.
/// Persisted inside the profile document: names never change.
/// </summary>
public sealed record EmailStatus
{
    /// <summary>Sends kept: none older than this (the longest cap window honoured) …</summary>
    public static readonly TimeSpan SendsKeptFor = TimeSpan.FromDays(90);

    /// <summary>… and at most this many, newest kept.</summary>
    public const int MaxSendsKept = 50;

    /// <summary>Marketing emails decided for sending, oldest first (a slot is taken when the email is queued).</summary>
    public ImmutableList<MarketingSend> MarketingSends { get; init; } = [];

    /// <summary>When the customer last unsubscribed from every email of the store.</summary>
    public DateTimeOffset? UnsubscribedAt { get; init; }

    /// <summary>Journeys the customer asked not to get email from, with when they asked.</summary>
    public ImmutableSortedDictionary<string, DateTimeOffset> OptedOut { get; init; } =
        ImmutableSortedDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal);

    /// <summary>The latest suppression: <c>bounced</c>, <c>dropped</c>, <c>spamreport</c> or <c>blocked</c>.</summary>
    public string? SuppressedReason { get; init; }

    public DateTimeOffset? SuppressedAt { get; init; }

    /// <summary>When a suppression (or an unsubscribe from all) was last lifted.</summary>
    public DateTimeOffset? UnsuppressedAt { get; init; }

    public static readonly EmailStatus None = new();

    /// <summary>The suppression in force, or null: the latest one unless lifted since.</summary>
    public string? Suppression => SuppressedAt is { } at && (UnsuppressedAt is not { } lifted || at >= lifted) ? SuppressedReason : null;

    /// <summary>Unsubscribed from all, unless lifted or followed by a new explicit opt-in.</summary>
    public bool UnsubscribedFromAll(Consent consent) =>
        UnsubscribedAt is { } at
        && (UnsuppressedAt is not { } lifted || at >= lifted)
        && !(consent.AllowsMarketing && consent.At is { } optIn && optIn > at);

    public bool OptedOutOf(string journeyId) => OptedOut.ContainsKey(journeyId);

    /// <summary>Takes a slot for a marketing email decided now; old and surplus entries go.</summary>
    public EmailStatus Reserve(DateTimeOffset at, string journeyId, string? actionId)
    {
        var sends = MarketingSends.Add(new MarketingSend(at, journeyId, actionId))
            .Where(s => s.At > at - SendsKeptFor)
            .OrderBy(s => s.At)
            .ToImmutableList();
        if (sends.Count > MaxSendsKept) sends = sends.RemoveRange(0, sends.Count - MaxSendsKept);
        return this with { MarketingSends = sends };
    }

    /// <summary>Gives back the slot of an email that was not sent after all.</summary>
    public EmailStatus Release(string actionId) =>
        MarketingSends.FindIndex(s => s.ActionId == actionId) is var i and >= 0 ? this with { MarketingSends = MarketingSends.RemoveAt(i) } : this;
}

/// <summary>One marketing email decided for sending: when, by which journey, as which outbox action.</summary>
public sealed record MarketingSend(DateTimeOffset At, string Journey, string? ActionId = null);
