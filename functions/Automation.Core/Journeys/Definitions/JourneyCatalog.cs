using System.Text.Json.Serialization;

namespace Automation.Core.Journeys.Definitions;

/// <summary>
/// What journeys may refer to by name: email templates (the files in <c>templates/</c>), coupon
/// pools and notification webhooks (declared in <c>journeys/catalog.json</c>; webhook URLs are
/// settings, never in the repo). The validator refuses a name that is not here.
/// </summary>
public sealed record JourneyCatalog(
    IReadOnlySet<string> Templates,
    IReadOnlyDictionary<string, CouponPool> CouponPools,
    IReadOnlyDictionary<string, WebhookTarget> Webhooks)
{
    public static readonly JourneyCatalog Empty = new(
        new HashSet<string>(), new Dictionary<string, CouponPool>(), new Dictionary<string, WebhookTarget>());
}

/// <summary>A kind of coupon: its discount and how long a code issued from it stays valid (ISO 8601).</summary>
public sealed record CouponPool
{
    /// <summary><c>generated</c> (default: we make unique codes and tell the store) or <c>pool</c> (codes the store uploaded).</summary>
    [JsonPropertyName("source")] public string Source { get; init; } = CouponSources.Generated;

    /// <summary>Percent off; 0 when the coupon is an <see cref="AmountOff"/>.</summary>
    [JsonPropertyName("percentOff")] public decimal PercentOff { get; init; }

    /// <summary>A fixed amount off, in <see cref="Currency"/> (the store's when absent).</summary>
    [JsonPropertyName("amountOff")] public decimal? AmountOff { get; init; }
    [JsonPropertyName("currency")] public string? Currency { get; init; }

    /// <summary>Smallest order total the code applies to.</summary>
    [JsonPropertyName("minimumOrder")] public decimal? MinimumOrder { get; init; }
    [JsonPropertyName("validFor")] public required string ValidFor { get; init; }

    /// <summary>Codes start with this (upper-case letters and digits), e.g. <c>BACK20-7K2M9QXD</c>.</summary>
    [JsonPropertyName("prefix")] public string Prefix { get; init; } = "";
    [JsonPropertyName("description")] public string? Description { get; init; }
}

public static class CouponSources
{
    public const string Generated = "generated", Pool = "pool";
}

/// <summary>A place <c>notify</c> steps post to; its URL is the setting <c>Automation__Webhooks__{name}__Url</c>.</summary>
public sealed record WebhookTarget
{
    [JsonPropertyName("description")] public string? Description { get; init; }
}

/// <summary>The document <c>journeys/catalog.json</c>.</summary>
public sealed record CatalogDocument
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 1;
    [JsonPropertyName("couponPools")] public Dictionary<string, CouponPool> CouponPools { get; init; } = [];
    [JsonPropertyName("webhooks")] public Dictionary<string, WebhookTarget> Webhooks { get; init; } = [];
}
