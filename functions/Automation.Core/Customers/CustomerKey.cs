using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Automation.Core.Customers;

/// <summary>
/// Derives the key that names a customer within a store. A customer known to the platform is
/// keyed by its id (<c>id:12345</c>); a guest by a hash of the normalised email
/// (<c>em:…</c>), so that no address ever appears in a key, a session id or a log line.
/// Keys are persisted (partition keys, Service Bus session ids): the scheme never changes.
/// </summary>
public static partial class CustomerKey
{
    private const int MaxIdLength = 100;

    /// <summary>Key for a platform customer id, or null when the id is empty or unusable.</summary>
    public static string? FromExternalId(string? externalId)
    {
        if (string.IsNullOrWhiteSpace(externalId)) return null;
        var id = externalId.Trim();
        return IsValidExternalId(id) ? "id:" + id : null;
    }

    /// <summary>Key for a guest, by email; null when the email is not an address.</summary>
    public static string? FromEmail(string? email)
    {
        var normalised = EmailAddress.Normalise(email);
        return normalised is null ? null : "em:" + EmailHash(normalised);
    }

    /// <summary>The platform id when present, otherwise the email.</summary>
    public static string? For(string? externalId, string? email) => FromExternalId(externalId) ?? FromEmail(email);

    /// <summary>A stable, non-reversible digest of a normalised email (32 hex characters).</summary>
    public static string EmailHash(string normalisedEmail) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalisedEmail)).AsSpan(0, 16));

    /// <summary>Ids usable in table keys and session ids: letters, digits and <c>._@+-</c>.</summary>
    public static bool IsValidExternalId(string id) => id.Length <= MaxIdLength && SafeId().IsMatch(id) && id != "0";

    /// <summary>
    /// A stand-in key for an event that names only its order (Shopify's refunds and fulfillment
    /// events carry no customer): the consumer resolves it through the order index before applying it.
    /// </summary>
    public static string ForOrder(string orderId) => OrderPrefix + Ingestion.EventIds.Safe(orderId);

    public static bool IsOrderReference(string key, out string orderId)
    {
        var yes = key.StartsWith(OrderPrefix, StringComparison.Ordinal);
        orderId = yes ? key[OrderPrefix.Length..] : "";
        return yes;
    }

    private const string OrderPrefix = "order:";

    /// <summary>The partition key of a customer: store id and customer key.</summary>
    public static string Partition(string storeId, string customerKey) => storeId + "|" + customerKey;

    [GeneratedRegex(@"^[A-Za-z0-9._@+-]+\z")]
    private static partial Regex SafeId();
}
