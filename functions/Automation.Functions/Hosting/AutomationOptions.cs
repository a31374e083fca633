using Automation.Core.Journeys.Definitions;
using Automation.Core.Messaging;
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

    /// <summary>The markets whose holiday calendars apply, as ISO 3166-1 alpha-2 codes separated by commas (<c>GB,DE</c>); default: <see cref="Country"/>.</summary>
    public string? Markets { get; set; }

    /// <summary>Total spent (store currency) from which a customer counts as high-value.</summary>
    public decimal HighValueThreshold { get; set; } = 500m;

    /// <summary>The store's name as recipients know it (emails, recipient pages). Default: the store id.</summary>
    public string? Name { get; set; }

    /// <summary>The storefront's https address, linked from emails and recipient pages.</summary>
    public string? Url { get; set; }

    /// <summary>Sender address (a verified sender or on an authenticated domain in SendGrid); default <c>Automation__SendGrid__FromEmail</c>.</summary>
    public string? FromEmail { get; set; }

    public string? FromName { get; set; }
    public string? ReplyTo { get; set; }

    /// <summary>SendGrid unsubscribe group (<c>asm.group_id</c>) of the store's marketing email.</summary>
    public int? UnsubscribeGroupId { get; set; }

    /// <summary>Postal address in every email's footer (CAN-SPAM).</summary>
    public string? PhysicalAddress { get; set; }

    /// <summary>Where the store learns of generated coupon codes (a signed <c>coupon.issued</c> POST); empty: codes are only checkable through the API.</summary>
    public string? CouponWebhookUrl { get; set; }

    /// <summary>HMAC-SHA256 key of the coupon webhook's signature. A secret.</summary>
    public string? CouponWebhookSecret { get; set; }

    /// <summary>Frequency caps, send window and quota (<c>Automation__Stores__{id}__Messaging__…</c>).</summary>
    public MessagingOptions Messaging { get; set; } = new();

    /// <summary>Offers by product category (<c>…__Promotions__0__Category</c>, <c>__Title</c>, <c>__Url</c>, <c>__ImageUrl</c>):
    /// a promotion email picks those of the categories the customer bought most (template data <c>picks</c>).</summary>
    public List<PromotionOptions> Promotions { get; set; } = [];

    /// <summary>Offers for a customer none of whose categories has a promotion (<c>…__Featured__0__Title</c>, …); the first three are shown.</summary>
    public List<PromotionOptions> Featured { get; set; } = [];

    /// <summary>The store's markets, upper-case and each once, in the order given; <see cref="Country"/> when none are; none without either.</summary>
    public IReadOnlyList<string> MarketCodes()
    {
        var given = (Markets ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (given.Length == 0 && Country?.Trim() is { Length: > 0 } country) given = [country];
        return [.. given.Select(m => m.ToUpperInvariant()).Distinct(StringComparer.Ordinal)];
    }

    public StoreSettings ToSettings(string storeId) =>
        new(storeId, TimeZone, Locale, Currency, Country, HighValueThreshold, Messaging.ToPolicy());
}

/// <summary>One offer a promotion email may link to (<c>Automation__Stores__{id}__Promotions__{n}__…</c> or <c>…__Featured__{n}__…</c>).</summary>
public sealed class PromotionOptions
{
    /// <summary>The product category it is for, as the store's order lines name it (Shopify's product type), in any case.
    /// Required in <c>Promotions</c>; in <c>Featured</c> it is only shown.</summary>
    public string? Category { get; set; }

    /// <summary>The link's text, in the store's language.</summary>
    public string Title { get; set; } = "";

    /// <summary>The https page it links to.</summary>
    public string Url { get; set; } = "";

    /// <summary>An https image shown with it, when the template shows images.</summary>
    public string? ImageUrl { get; set; }
}

/// <summary>A store's send rules; see <see cref="MessagePolicy"/>. Durations are ISO 8601, times <c>HH:mm</c> local.</summary>
public sealed class MessagingOptions
{
    /// <summary>Caps as <c>{max}/{window}</c>, e.g. <c>1/PT16H</c> and <c>4/P30D</c>; empty: the defaults.</summary>
    public List<string> Caps { get; set; } = [];

    /// <summary>Caps by lifecycle tier, in the same form (<c>…__Messaging__TierCaps__active__0=2/PT16H</c>); tiers: prospect, new, active, occasional, at_risk, dormant.</summary>
    public Dictionary<string, List<string>> TierCaps { get; set; } = new(StringComparer.Ordinal);

    public string SendWindowStart { get; set; } = "09:00";
    public string SendWindowEnd { get; set; } = "21:00";

    /// <summary>Marketing sends per calendar month for the whole store; 0: no quota.</summary>
    public int MonthlyMarketingQuota { get; set; }

    public MessagePolicy ToPolicy() => new()
    {
        Caps = Caps.Count == 0 ? MessagePolicy.Default.Caps : [.. Caps.Select(ParseCap).OfType<FrequencyCap>()],
        TierCaps = TierCaps.ToDictionary(t => t.Key, t => (IReadOnlyList<FrequencyCap>)[.. t.Value.Select(ParseCap).OfType<FrequencyCap>()], StringComparer.Ordinal),
        SendWindowStart = ParseTime(SendWindowStart) ?? MessagePolicy.Default.SendWindowStart,
        SendWindowEnd = ParseTime(SendWindowEnd) ?? MessagePolicy.Default.SendWindowEnd,
        MonthlyMarketingQuota = MonthlyMarketingQuota > 0 ? MonthlyMarketingQuota : null,
    };

    /// <summary><c>1/PT16H</c> as a cap, or null when it is not one (the options validation names it).</summary>
    public static FrequencyCap? ParseCap(string text)
    {
        var parts = text.Split('/', 2, StringSplitOptions.TrimEntries);
        return parts.Length == 2 && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var max) && max > 0
            && IsoDuration.TryParse(parts[1], out var window, out _) && window > TimeSpan.Zero
            ? new FrequencyCap(window, max) : null;
    }

    public static TimeOnly? ParseTime(string text) =>
        TimeOnly.TryParseExact(text, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t) ? t : null;
}
