using Automation.Core.Messaging;

namespace Automation.Core.Stores;

/// <summary>What the core needs to know about a store.</summary>
/// <param name="TimeZone">IANA id used when a customer's own zone is unknown.</param>
/// <param name="HighValueThreshold">Total spent (store currency) from which a customer is high-value.</param>
/// <param name="Policy">Frequency caps, send window and quota; null for the defaults.</param>
public sealed record StoreSettings(
    string StoreId,
    string TimeZone = "UTC",
    string Locale = "en",
    string Currency = "USD",
    string? Country = null,
    decimal HighValueThreshold = 500m,
    MessagePolicy? Policy = null)
{
    /// <summary>The store's send rules, or the defaults.</summary>
    public MessagePolicy Messaging => Policy ?? MessagePolicy.Default;
}
