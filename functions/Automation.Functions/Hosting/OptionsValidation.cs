using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Hosting;

/// <summary>Refuses to start with settings that would fail later, naming the setting.</summary>
internal sealed partial class OptionsValidation : IValidateOptions<AutomationOptions>
{
    private const int MaxMarkets = 20;
    public const int MaxPromotions = 20;
    public const int MaxPromotionTitleLength = 200;
    private static readonly string[] Platforms = ["shopify", "woocommerce", "custom"];
    private static readonly string[] Tiers =
    [
        Core.Profiles.LifecycleTier.Prospect, Core.Profiles.LifecycleTier.New, Core.Profiles.LifecycleTier.Active,
        Core.Profiles.LifecycleTier.Occasional, Core.Profiles.LifecycleTier.AtRisk, Core.Profiles.LifecycleTier.Dormant,
    ];

    public ValidateOptionsResult Validate(string? name, AutomationOptions o)
    {
        var errors = new List<string>();
        if (o.QueueKind is not ("StorageQueue" or "ServiceBus"))
            errors.Add($"Automation__QueueKind is '{o.QueueKind}'; use StorageQueue or ServiceBus.");
        if (o.Clock is not ("System" or "Virtual"))
            errors.Add($"Automation__Clock is '{o.Clock}'; use System or Virtual.");
        if (o.SweepIntervalSeconds is < 1 or > 60)
            errors.Add($"Automation__SweepIntervalSeconds is {o.SweepIntervalSeconds}; use 1 to 60 (timers are due by the minute).");
        foreach (var (webhook, w) in o.Webhooks)
            if (w.Url.Length > 0 && (!Uri.TryCreate(w.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http")))
                errors.Add($"Automation__Webhooks__{webhook}__Url is not an http(s) URL.");
        foreach (var (id, s) in o.Stores)
        {
            var prefix = $"Automation__Stores__{id}__";
            if (!StoreId().IsMatch(id)) errors.Add($"Store id '{id}' must be 1-50 lower-case letters, digits or dashes.");
            if (!Platforms.Contains(s.Platform)) errors.Add($"{prefix}Platform is '{s.Platform}'; use shopify, woocommerce or custom.");
            // A Shopify or WooCommerce store without its webhook secret is not refused here: one store's missing
            // secret (say a Key Vault reference not resolved yet) must not stop every other store. Its deliveries
            // are answered 503 until the secret is set, so the platform delivers them again (WebhookIngestion).
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(s.TimeZone, out _)) errors.Add($"{prefix}TimeZone '{s.TimeZone}' is not an IANA time zone.");
            if (s.Currency.Length != 3) errors.Add($"{prefix}Currency '{s.Currency}' is not a 3-letter ISO 4217 code.");
            foreach (var cap in s.Messaging.Caps.Concat(s.Messaging.TierCaps.Values.SelectMany(c => c)))
                if (MessagingOptions.ParseCap(cap) is null) errors.Add($"{prefix}Messaging cap '{cap}' is not {{max}}/{{ISO 8601 duration}}, e.g. 1/PT16H.");
            foreach (var tier in s.Messaging.TierCaps.Keys.Where(t => !Tiers.Contains(t)))
                errors.Add($"{prefix}Messaging__TierCaps__{tier} names no lifecycle tier; use {string.Join(", ", Tiers)}.");
            if (MessagingOptions.ParseTime(s.Messaging.SendWindowStart) is null || MessagingOptions.ParseTime(s.Messaging.SendWindowEnd) is null)
                errors.Add($"{prefix}Messaging__SendWindowStart and __SendWindowEnd must be HH:mm local times.");
            if (s.CouponWebhookUrl is { Length: > 0 } couponUrl && (!Uri.TryCreate(couponUrl, UriKind.Absolute, out var cu) || cu.Scheme is not ("https" or "http")))
                errors.Add($"{prefix}CouponWebhookUrl is not an http(s) URL.");
            foreach (var market in s.MarketCodes().Where(m => !Core.Holidays.CalendarReader.IsMarket(m)))
            {
                errors.Add(string.IsNullOrWhiteSpace(s.Markets)
                    ? $"{prefix}Country '{s.Country}' is not a 2-letter ISO 3166-1 code, and it is the store's market when {prefix}Markets is not set."
                    : $"{prefix}Markets has '{market}'; use 2-letter ISO 3166-1 country codes separated by commas, e.g. GB,DE.");
            }
            if (s.MarketCodes().Count > MaxMarkets) errors.Add($"{prefix}Markets names {s.MarketCodes().Count} markets; a store has at most {MaxMarkets}.");
            if (s.CouponWebhookUrl is { Length: > 0 } && string.IsNullOrEmpty(s.CouponWebhookSecret))
                errors.Add($"{prefix}CouponWebhookSecret is required with CouponWebhookUrl (the store checks the signature with it).");
            Promotions(errors, prefix + "Promotions", s.Promotions, categoryRequired: true);
            Promotions(errors, prefix + "Featured", s.Featured, categoryRequired: false);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Promotions(List<string> errors, string setting, List<PromotionOptions> list, bool categoryRequired)
    {
        if (list.Count > MaxPromotions) errors.Add($"{setting} has {list.Count} entries; a store has at most {MaxPromotions}.");
        for (var i = 0; i < list.Count; i++)
        {
            var (p, at) = (list[i], $"{setting}__{i}__");
            if (string.IsNullOrWhiteSpace(p.Title)) errors.Add($"{at}Title is required: it is the link's text.");
            else if (p.Title.Trim().Length > MaxPromotionTitleLength) errors.Add($"{at}Title is {p.Title.Trim().Length} characters; at most {MaxPromotionTitleLength}.");
            if (!IsPageUrl(p.Url)) errors.Add($"{at}Url '{p.Url}' is not an absolute https URL (http only for localhost).");
            if (p.ImageUrl is { Length: > 0 } image && !IsPageUrl(image)) errors.Add($"{at}ImageUrl '{image}' is not an absolute https URL (http only for localhost).");
            if (!categoryRequired) continue;
            if (string.IsNullOrWhiteSpace(p.Category))
                errors.Add($"{at}Category is required: a promotion is picked by a category the customer bought (offers for anyone go in Featured).");
            // The ledger cuts order lines' categories to this length: a longer one could never match.
            else if (p.Category.Trim().Length > Core.Profiles.ProfileReducer.MaxCategoryLength)
                errors.Add($"{at}Category is {p.Category.Trim().Length} characters; order lines' categories are kept to {Core.Profiles.ProfileReducer.MaxCategoryLength}, so it would never match.");
        }
    }

    /// <summary>A link recipients open: https, or http on this machine (the local demo store).</summary>
    private static bool IsPageUrl(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp && u.IsLoopback);

    [GeneratedRegex("^[a-z0-9-]{1,50}$")]
    private static partial Regex StoreId();
}
