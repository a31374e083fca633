using Automation.Core.Stores;

namespace Automation.Functions.Hosting;

/// <summary>Settings under <c>Automation</c> (environment: <c>Automation__…</c>).</summary>
public sealed class AutomationOptions
{
    public const string Section = "Automation";

    /// <summary>Key for the admin and events APIs, sent as <c>X-Api-Key</c>. Empty: those APIs refuse everyone.</summary>
    public string AdminApiKey { get; set; } = "";

    /// <summary>The connected stores, by store id (lower-case letters, digits and dashes).</summary>
    public Dictionary<string, StoreOptions> Stores { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary><c>StorageQueue</c> (local, Azurite) or <c>ServiceBus</c> (Azure).</summary>
    public string QueueKind { get; set; } = "StorageQueue";

    /// <summary>Name of the Storage queue that carries events when <see cref="QueueKind"/> is StorageQueue.</summary>
    public string EventsQueueName { get; set; } = "events";

    /// <summary>Deliveries of one message before it is parked with its reason.</summary>
    public int MaxDeliveryCount { get; set; } = 5;

    /// <summary>First retry delay of a failed local-queue message; it doubles with each delivery, up to 5 minutes.</summary>
    public double RetryBaseDelaySeconds { get; set; } = 5;

    /// <summary>Run the in-process queue consumer (local mode). The Functions host triggers it in Azure.</summary>
    public bool RunLocalConsumer { get; set; } = true;

    /// <summary>Largest webhook or events body accepted, in bytes.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>One store (<c>Automation__Stores__{storeId}__…</c>).</summary>
public sealed class StoreOptions
{
    /// <summary><c>shopify</c>, <c>woocommerce</c> or <c>custom</c>.</summary>
    public string Platform { get; set; } = "custom";

    /// <summary>Shopify app secret or WooCommerce webhook secret, for signature checks.</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>Shopify only: the <c>*.myshopify.com</c> domain deliveries must come from.</summary>
    public string? ShopDomain { get; set; }

    /// <summary>IANA time zone used when a customer's own is unknown.</summary>
    public string TimeZone { get; set; } = "UTC";

    public string Locale { get; set; } = "en";
    public string Currency { get; set; } = "USD";
    public string? Country { get; set; }

    /// <summary>Total spent (store currency) from which a customer counts as high-value.</summary>
    public decimal HighValueThreshold { get; set; } = 500m;

    public StoreSettings ToSettings(string storeId) =>
        new(storeId, TimeZone, Locale, Currency, Country, HighValueThreshold);
}
