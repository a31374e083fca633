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

    /// <summary><c>System</c>, or <c>Virtual</c>: a clock moved by <c>POST /api/dev/clock</c> for trying journeys end to end.</summary>
    public string Clock { get; set; } = "System";

    /// <summary>Install the shipped journeys (<c>journeys/*.json</c>) as active version 1 when they do not exist yet.</summary>
    public bool InstallShippedJourneys { get; set; } = true;

    /// <summary>Run the in-process timer sweeper (local mode). The minute timer trigger calls it in Azure.</summary>
    public bool RunLocalSweeper { get; set; } = true;

    /// <summary>Seconds between two sweeps of the local timer sweeper.</summary>
    public double SweepIntervalSeconds { get; set; } = 20;

    /// <summary>Where <c>notify</c> steps post, by the webhook names of journeys/catalog.json (<c>Automation__Webhooks__{name}__Url</c>).</summary>
    public Dictionary<string, WebhookOptions> Webhooks { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One notification target (<c>Automation__Webhooks__{name}__…</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>The https URL the JSON is posted to; a secret of sorts, so set it outside the repo.</summary>
    public string Url { get; set; } = "";

    /// <summary>Sent as <c>Authorization</c> when set (e.g. <c>Bearer …</c>).</summary>
    public string? Authorization { get; set; }
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
