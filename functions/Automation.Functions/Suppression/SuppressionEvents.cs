using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Automation.Core.Events;

namespace Automation.Functions.Suppression;

/// <summary>
/// The events that tell a customer's profile and journeys what the suppression list now says. Ids are
/// chosen by the caller so a repeated request (the same link, the same provider event) dedupes.
/// </summary>
public static class SuppressionEvents
{
    public const string ScopeAll = "all", ScopeJourney = "journey";

    /// <param name="source"><c>unsubscribe-link</c>, <c>sendgrid</c>, …: where the recipient said it.</param>
    public static CustomerEvent Unsubscribed(string id, string storeId, string customerKey, string scope, string? journeyId, string source,
        DateTimeOffset at, DateTimeOffset now, JsonObject? extra = null)
    {
        var data = new JsonObject { ["scope"] = scope, ["source"] = source };
        if (journeyId is not null) data["journey"] = journeyId;
        Merge(data, extra);
        // Withdrawing from everything is a consent change the profile must show (GDPR: provable, as easy as giving it).
        var consent = scope == ScopeAll ? new CustomerFacts(Consent: new ConsentFacts("unsubscribed", source, at)) : null;
        return new CustomerEvent(id, storeId, customerKey, EventTypes.EmailUnsubscribed, at, now, source, consent, Data: data);
    }

    public static CustomerEvent Suppressed(string id, string storeId, string customerKey, string reason, string source,
        DateTimeOffset at, DateTimeOffset now, JsonObject? extra = null)
    {
        var data = new JsonObject { ["reason"] = reason, ["source"] = source };
        Merge(data, extra);
        return new CustomerEvent(id, storeId, customerKey, EventTypes.EmailSuppressed, at, now, source, Data: data);
    }

    public static CustomerEvent Unsuppressed(string id, string storeId, string customerKey, string source, DateTimeOffset now) =>
        new(id, storeId, customerKey, EventTypes.EmailUnsuppressed, now, now, source, Data: new JsonObject { ["source"] = source });

    /// <summary>A stable event id from parts that may hold anything (tokens, addresses): a digest, so none of it shows.</summary>
    public static string Id(string prefix, params string[] parts) =>
        prefix + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))).AsSpan(0, 20));

    private static void Merge(JsonObject data, JsonObject? extra)
    {
        if (extra is null) return;
        foreach (var (k, v) in extra) data[k] = v?.DeepClone();
    }
}
