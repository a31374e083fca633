namespace Automation.Core.Stores;

/// <summary>What the core needs to know about a store.</summary>
/// <param name="TimeZone">IANA id used when a customer's own zone is unknown.</param>
/// <param name="HighValueThreshold">Total spent (store currency) from which a customer is high-value.</param>
public sealed record StoreSettings(
    string StoreId,
    string TimeZone = "UTC",
    string Locale = "en",
    string Currency = "USD",
    string? Country = null,
    decimal HighValueThreshold = 500m);
