using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Journeys.Engine;
using Automation.Core.Profiles;
using Automation.Functions.Hosting;

namespace Automation.Functions.Email;

/// <summary>
/// The data every template gets, the same for a template kept in <c>templates/</c> and for a SendGrid dynamic
/// template (<c>dynamic_template_data</c>): <c>customer</c>, <c>store</c>, <c>coupon</c>, <c>order</c>,
/// <c>occasion</c>, <c>picks</c>, <c>personalised</c>, <c>links</c> and <c>marketing</c>. Values are strings,
/// formatted for the recipient; absent ones are left out, so <c>{{#if coupon}}</c> and
/// <c>{{#if customer.firstName}}</c> work. docs/email.md lists them; the names are persisted in every
/// SendGrid dynamic template a store writes, so they never change.
/// </summary>
public static class EmailData
{
    /// <param name="Unsubscribe">The signed one-click unsubscribe URL.</param>
    /// <param name="Scores">Survey answer URLs for scores 1 to 5; service email only.</param>
    public sealed record Links(string Unsubscribe, IReadOnlyList<string>? Scores);

    /// <summary>The trigger's <c>holiday</c> of a broadcast scheduled on a date rather than a holiday.</summary>
    private const string NoHoliday = "date";

    public static Dictionary<string, object?> Build(
        string storeId, StoreOptions store, CustomerProfile profile, JourneyAction action, JourneyInstance? instance,
        Links links, CultureInfo culture, TimeZoneInfo zone)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["customer"] = Customer(profile),
            ["store"] = Compact(new()
            {
                ["name"] = string.IsNullOrWhiteSpace(store.Name) ? storeId : store.Name,
                ["url"] = store.Url,
                ["address"] = store.PhysicalAddress,
            }),
            ["links"] = LinkData(links, store),
            ["marketing"] = action.Category is null or Core.Journeys.Definitions.StepTypes.Marketing,
        };
        if (data["marketing"] is true)
        {
            // Offers are marketing: a service email (a survey) carries none, nor what they tell of the customer's purchases.
            var picks = PromotionPicks.For(profile, store);
            if (picks.Offers.Count > 0) data["picks"] = picks.Offers.Select(Pick).ToList();
            data["personalised"] = picks.Personalised;
        }
        if (action.Coupon is { } coupon) data["coupon"] = Coupon(coupon, store, culture, zone);
        if (instance?.Run == action.Run && instance.Trigger.OrderId is { } orderId)
        {
            var currency = profile.Orders.GetValueOrDefault(orderId)?.Currency ?? store.Currency;
            data["order"] = Compact(new()
            {
                ["id"] = orderId,
                ["total"] = instance.Trigger.Total is { } total ? EmailFormat.Money(total, currency, culture) : null,
            });
        }
        if (instance?.Run == action.Run && Occasion(instance.Trigger, culture) is { } occasion) data["occasion"] = occasion;
        return data;
    }

    /// <summary>
    /// The holiday a scheduled journey's run was started for, from its trigger's data (<c>holiday</c>, <c>holidayName</c>,
    /// <c>date</c> in the recipient's market). A schedule on a fixed date has no holiday (the broadcast planner says
    /// <c>"holiday": "date"</c>): its date is the send day, nothing to look forward to. The name is English, so it is
    /// given to English emails only: a template in another language names the day by its date rather than mix languages.
    /// </summary>
    private static Dictionary<string, object?>? Occasion(EventRef trigger, CultureInfo culture)
    {
        if (trigger.Type != Core.Events.EventTypes.JourneyScheduled || trigger.Data is not { } d || Blank(Text(d, "holiday")) is not { } id || id == NoHoliday) return null;
        string? date = null;
        if (DateOnly.TryParseExact(Text(d, "date"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            date = EmailFormat.Date(new DateTimeOffset(day, TimeOnly.MinValue, TimeSpan.Zero), TimeZoneInfo.Utc, culture); // a day of the calendar: no zone to convert from
        return Compact(new()
        {
            ["id"] = id,
            ["name"] = culture.TwoLetterISOLanguageName == "en" ? Blank(Text(d, "holidayName")) : null,
            ["date"] = date,
        });
    }

    private static Dictionary<string, object?> Pick(PromotionOptions offer) => Compact(new()
    {
        ["title"] = Blank(offer.Title),
        ["url"] = Blank(offer.Url),
        ["imageUrl"] = Blank(offer.ImageUrl),
        ["category"] = Blank(offer.Category),
    });

    // Through the JSON text, as EngineEvents.Text: built in process, a value may wrap a DateOnly rather than a string.
    private static string? Text(JsonObject data, string name) =>
        data[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? JsonSerializer.Deserialize<string>(v.ToJsonString()) : null;

    private static Dictionary<string, object?> Customer(CustomerProfile profile)
    {
        var name = string.Join(' ', new[] { profile.FirstName, profile.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Trim()));
        return Compact(new()
        {
            ["firstName"] = Blank(profile.FirstName),
            ["lastName"] = Blank(profile.LastName),
            ["name"] = Blank(name),
        });
    }

    private static Dictionary<string, object?> Coupon(IssuedCoupon coupon, StoreOptions store, CultureInfo culture, TimeZoneInfo zone)
    {
        var currency = coupon.Currency ?? store.Currency;
        var amount = coupon.AmountOff is { } a && a > 0 ? a : (decimal?)null;
        return Compact(new()
        {
            ["code"] = coupon.Code,
            ["value"] = amount is { } off ? EmailFormat.Money(off, currency, culture) : EmailFormat.Percent(coupon.PercentOff, culture),
            ["percentOff"] = amount is null ? coupon.PercentOff.ToString("0.##", CultureInfo.InvariantCulture) : null,
            ["amountOff"] = amount?.ToString("0.00", CultureInfo.InvariantCulture),
            ["currency"] = amount is null ? null : currency,
            ["minimumOrder"] = coupon.MinimumOrder is { } min && min > 0 ? EmailFormat.Money(min, currency, culture) : null,
            ["expires"] = EmailFormat.Date(coupon.ExpiresAt, zone, culture),
            ["expiresAt"] = coupon.ExpiresAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        });
    }

    private static Dictionary<string, object?> LinkData(Links links, StoreOptions store)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal) { ["unsubscribe"] = links.Unsubscribe };
        if (!string.IsNullOrWhiteSpace(store.Url)) data["store"] = store.Url;
        for (var i = 0; i < (links.Scores?.Count ?? 0); i++) data["score" + (i + 1).ToString(CultureInfo.InvariantCulture)] = links.Scores![i];
        return data;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static Dictionary<string, object?> Compact(Dictionary<string, object?> d)
    {
        foreach (var key in d.Where(p => p.Value is null or "").Select(p => p.Key).ToList()) d.Remove(key);
        return d;
    }
}
