using System.Globalization;
using Azure.Data.Tables;

namespace Automation.Functions.Coupons;

/// <summary>
/// Every code we handed out, generated or from a pool: table <c>coupons</c>, partition
/// <c>{storeId}|codes</c>, row the code in upper case. Written once the code is the customer's (after
/// the store accepted a generated one); redemption flips <see cref="Status"/>. Persisted: names never change.
/// </summary>
public sealed record CouponRecord(string StoreId, string Code)
{
    public const string Issued = "issued", Redeemed = "redeemed", Expired = "expired";

    public string CustomerKey { get; init; } = "";
    public string JourneyId { get; init; } = "";
    public int Run { get; init; }
    public string StepId { get; init; } = "";
    public string ActionKey { get; init; } = "";
    public string Source { get; init; } = "";
    public string? Pool { get; init; }
    public decimal? PercentOff { get; init; }
    public decimal? AmountOff { get; init; }
    public string? Currency { get; init; }
    public decimal? MinimumOrder { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    public string Status { get; init; } = Issued;
    public string? RedeemedOrderId { get; init; }
    public decimal? RedeemedRevenue { get; init; }
    public DateTimeOffset? RedeemedAt { get; init; }

    public static string Partition(string storeId) => storeId + "|codes";

    public static string Row(string code) => code.ToUpperInvariant();

    // Table storage has no decimal: money and percentages are kept as invariant text, exactly.
    public TableEntity ToEntity() => new(Partition(StoreId), Row(Code))
    {
        ["Code"] = Code,
        ["CustomerKey"] = CustomerKey,
        ["Journey"] = JourneyId,
        ["Run"] = Run,
        ["Step"] = StepId,
        ["ActionKey"] = ActionKey,
        ["Source"] = Source,
        ["Pool"] = Pool,
        ["PercentOff"] = Text(PercentOff),
        ["AmountOff"] = Text(AmountOff),
        ["Currency"] = Currency,
        ["MinimumOrder"] = Text(MinimumOrder),
        ["ExpiresAt"] = ExpiresAt,
        ["IssuedAt"] = IssuedAt,
        ["Status"] = Status,
        ["RedeemedOrderId"] = RedeemedOrderId,
        ["RedeemedRevenue"] = Text(RedeemedRevenue),
        ["RedeemedAt"] = RedeemedAt,
    };

    public static CouponRecord FromEntity(string storeId, TableEntity e) => new(storeId, e.GetString("Code") ?? e.RowKey)
    {
        CustomerKey = e.GetString("CustomerKey") ?? "",
        JourneyId = e.GetString("Journey") ?? "",
        Run = e.GetInt32("Run") ?? 0,
        StepId = e.GetString("Step") ?? "",
        ActionKey = e.GetString("ActionKey") ?? "",
        Source = e.GetString("Source") ?? "",
        Pool = e.GetString("Pool"),
        PercentOff = Number(e.GetString("PercentOff")),
        AmountOff = Number(e.GetString("AmountOff")),
        Currency = e.GetString("Currency"),
        MinimumOrder = Number(e.GetString("MinimumOrder")),
        ExpiresAt = e.GetDateTimeOffset("ExpiresAt"),
        IssuedAt = e.GetDateTimeOffset("IssuedAt") ?? default,
        Status = e.GetString("Status") ?? Issued,
        RedeemedOrderId = e.GetString("RedeemedOrderId"),
        RedeemedRevenue = Number(e.GetString("RedeemedRevenue")),
        RedeemedAt = e.GetDateTimeOffset("RedeemedAt"),
    };

    private static string? Text(decimal? d) => d?.ToString(CultureInfo.InvariantCulture);

    private static decimal? Number(string? s) =>
        decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;
}
