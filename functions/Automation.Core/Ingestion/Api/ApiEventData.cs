using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Automation.Core.Events;

namespace Automation.Core.Ingestion.Api;

/// <summary>What an event's <c>data</c> object says, once checked.</summary>
internal sealed record ApiEventDataFacts(
    JsonObject? Data,
    string? FirstName = null,
    string? LastName = null,
    string? Locale = null,
    string? Country = null,
    string? TimeZone = null,
    OrderFacts? Order = null,
    string? Consent = null);

/// <summary>
/// Checks an event's <c>data</c>: the customer fields any event may carry, and what the
/// product's own event types require. Everything else in it is the store's own and is kept
/// as sent for journeys to read.
/// </summary>
internal static partial class ApiEventData
{
    /// <summary>Measured as the object will be queued (<see cref="EventJson.Options"/>).</summary>
    public const int MaxDataBytes = 16 * 1024;

    private const int MaxReferenceLength = 100;

    /// <summary>
    /// Order events the API accepts: a custom storefront has no platform webhooks, so this is
    /// its only way to report orders. Other <c>order.*</c> names are refused so that nothing
    /// else poses as an order.
    /// </summary>
    private static readonly string[] OrderTypeList =
    [
        EventTypes.OrderPlaced, EventTypes.OrderPaid, EventTypes.OrderFulfilled,
        EventTypes.OrderDelivered, EventTypes.OrderCancelled, EventTypes.OrderRefunded,
    ];

    public static string OrderTypeNames { get; } = string.Join(", ", OrderTypeList);

    // Row keys refuse / \ # ? and control characters; references may end up in them.
    private static readonly SearchValues<char> NotInReference = SearchValues.Create(
        "/\\#?" + new string([.. Enumerable.Range(0, 0x20).Select(c => (char)c)]) + new string([.. Enumerable.Range(0x7F, 0x21).Select(c => (char)c)]));

    private static readonly ApiEventDataFacts None = new(Data: null);

    public static bool IsOrderType(string type) => OrderTypeList.Contains(type, StringComparer.Ordinal);

    /// <param name="type">The event type, or null when it is missing or invalid (then only the generic checks run).</param>
    /// <param name="at">The path of <c>data</c> itself.</param>
    public static ApiEventDataFacts Read(JsonElement? value, string? type, string at, ApiProblems problems)
    {
        if (value is not { } data)
        {
            if (type is not null && RequiredField(type) is { } required) problems.Add(ApiPath.Property(at, required), $"is required for {type}");
            return None;
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            problems.Add(at, "must be an object");
            return None;
        }

        var facts = new ApiEventDataFacts(
            Data: null,
            FirstName: ReadText(data, "firstName", at, problems),
            LastName: ReadText(data, "lastName", at, problems),
            Locale: ReadMatching(data, "locale", at, problems, Locale(), "must be a language tag, e.g. en or pt-BR"),
            Country: ReadMatching(data, "country", at, problems, Country(), "must be a 2-letter country code, e.g. DE")?.ToUpperInvariant(),
            TimeZone: ReadTimeZone(data, at, problems),
            Consent: ReadMatching(data, "consent", at, problems, ConsentState(),
                "must be \"subscribed\", \"unsubscribed\" or \"not_subscribed\" (the customer's email marketing consent as the store recorded it)"));

        string? complaintId = null;
        switch (type)
        {
            case not null when IsOrderType(type):
                facts = facts with { Order = ReadOrder(data, type, at, problems) };
                break;
            case EventTypes.ComplaintOpened or EventTypes.ComplaintClosed:
                complaintId = ReadReference(data, "complaintId", at, problems, requiredFor: type);
                break;
            case EventTypes.SurveyAnswered:
                ReadScore(data, at, problems);
                break;
        }

        var copy = JsonObject.Create(data.Clone())!;
        // Journeys compare complaint ids as strings, whichever way the store sent them.
        if (complaintId is not null) copy["complaintId"] = complaintId;

        var size = JsonSerializer.SerializeToUtf8Bytes(copy, EventJson.Options).Length;
        if (size > MaxDataBytes) problems.Add(at, $"must be at most {MaxDataBytes / 1024} KiB as JSON; it is {size} bytes");

        return facts with { Data = copy };
    }

    private static string? RequiredField(string type) => type switch
    {
        _ when IsOrderType(type) => "orderId",
        EventTypes.ComplaintOpened or EventTypes.ComplaintClosed => "complaintId",
        EventTypes.SurveyAnswered => "score",
        _ => null,
    };

    private static OrderFacts? ReadOrder(JsonElement data, string type, string at, ApiProblems problems)
    {
        var orderId = ReadReference(data, "orderId", at, problems, requiredFor: type);
        var total = ReadAmount(data, "total", at, problems);
        var currency = ReadMatching(data, "currency", at, problems, Currency(), "must be a 3-letter currency code, e.g. EUR")?.ToUpperInvariant();
        var discountCodes = ReadDiscountCodes(data, at, problems);
        string? refundId = null;
        decimal? refundAmount = null;
        if (type == EventTypes.OrderRefunded)
        {
            refundId = ReadReference(data, "refundId", at, problems, requiredFor: null);
            refundAmount = ReadAmount(data, "amount", at, problems);
        }

        return orderId is null ? null : new OrderFacts(orderId, total, currency, discountCodes, refundId, refundAmount);
    }

    /// <summary>An id of the store's (order, refund, complaint): a string or an integer, kept as text.</summary>
    private static string? ReadReference(JsonElement data, string name, string at, ApiProblems problems, string? requiredFor)
    {
        var field = ApiPath.Property(at, name);
        if (ApiJson.Optional(data, name) is not { } value)
        {
            if (requiredFor is not null) problems.Add(field, $"is required for {requiredFor}");
            return null;
        }

        if (!ApiJson.TryGetIdText(value, out var text))
        {
            problems.Add(field, "must be a string or an integer");
            return null;
        }

        if (text.Length is 0 or > MaxReferenceLength || text.AsSpan().IndexOfAny(NotInReference) >= 0)
        {
            problems.Add(field, $"must be 1 to {MaxReferenceLength} characters, none of them / \\ # ? or control characters");
            return null;
        }

        return text;
    }

    private static decimal? ReadAmount(JsonElement data, string name, string at, ApiProblems problems)
    {
        if (ApiJson.Optional(data, name) is not { } value) return null;
        var field = ApiPath.Property(at, name);
        if (!ApiJson.TryGetAmount(value, out var amount))
        {
            problems.Add(field, "must be a number or a numeric string, e.g. 19.99");
            return null;
        }

        if (amount < 0)
        {
            problems.Add(field, "must not be negative");
            return null;
        }

        if (!Money.IsPlausible(amount))
        {
            problems.Add(field, "must be at most 1000000000000 (a trillion)");
            return null;
        }

        return amount;
    }

    private static List<string>? ReadDiscountCodes(JsonElement data, string at, ApiProblems problems)
    {
        if (ApiJson.Optional(data, "discountCodes") is not { } value) return null;
        var field = ApiPath.Property(at, "discountCodes");
        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add(field, "must be an array of strings");
            return null;
        }

        var codes = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var code = item.ValueKind == JsonValueKind.String ? ApiJson.NonBlank(item) : null;
            if (code is not null) codes.Add(code);
            else problems.Add(ApiPath.Index(field, index), item.ValueKind == JsonValueKind.String ? "must not be empty" : "must be a string");
            index++;
        }

        return codes;
    }

    private static void ReadScore(JsonElement data, string at, ApiProblems problems)
    {
        var field = ApiPath.Property(at, "score");
        if (ApiJson.Optional(data, "score") is not { } value) problems.Add(field, $"is required for {EventTypes.SurveyAnswered}");
        else if (!ApiJson.TryGetInteger(value, out var score) || score is < 1 or > 5) problems.Add(field, "must be an integer from 1 to 5");
    }

    private static string? ReadText(JsonElement data, string name, string at, ApiProblems problems)
    {
        if (ApiJson.Optional(data, name) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.String) return ApiJson.NonBlank(value);
        problems.Add(ApiPath.Property(at, name), "must be a string");
        return null;
    }

    private static string? ReadMatching(JsonElement data, string name, string at, ApiProblems problems, Regex pattern, string expected)
    {
        if (ApiJson.Optional(data, name) is not { } value) return null;
        var field = ApiPath.Property(at, name);
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(field, "must be a string");
            return null;
        }

        var text = value.GetString()!;
        if (pattern.IsMatch(text)) return text;
        problems.Add(field, expected);
        return null;
    }

    /// <summary>The zone's own id (canonical case); Windows ids are refused, as stored zones are IANA (DESIGN.md).</summary>
    private static string? ReadTimeZone(JsonElement data, string at, ApiProblems problems)
    {
        var id = ReadMatching(data, "timeZone", at, problems, TimeZoneId(), "must be an IANA time zone id, e.g. Europe/Berlin");
        if (id is null) return null;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId) return zone.Id;
        problems.Add(ApiPath.Property(at, "timeZone"), "must be an IANA time zone id, e.g. Europe/Berlin");
        return null;
    }

    [GeneratedRegex(@"^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*\z")]
    private static partial Regex Locale();

    [GeneratedRegex(@"^[A-Za-z]{2}\z")]
    private static partial Regex Country();

    [GeneratedRegex(@"^[A-Za-z]{3}\z")]
    private static partial Regex Currency();

    // Shape and length only, so that the lookup never sees a path or a 10 KB string.
    [GeneratedRegex(@"^[A-Za-z0-9_+\-/]{1,64}\z")]
    private static partial Regex TimeZoneId();

    [System.Text.RegularExpressions.GeneratedRegex("^(subscribed|unsubscribed|not_subscribed)$")]
    private static partial System.Text.RegularExpressions.Regex ConsentState();
}
