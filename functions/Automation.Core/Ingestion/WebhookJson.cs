using System.Globalization;
using System.Text.Json;
using Automation.Core.Customers;
using Automation.Core.Events;

namespace Automation.Core.Ingestion;

/// <summary>
/// Lenient reads from platform payloads. A platform cannot be asked to resend a better payload,
/// so a member of the wrong shape reads as absent instead of failing the delivery; the mappers
/// decide which absences make a payload invalid.
/// </summary>
internal static class WebhookJson
{
    private const NumberStyles AmountStyle =
        NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    /// <summary>The member when <paramref name="obj"/> is an object and the member is there and not JSON null.</summary>
    public static JsonElement? Member(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static JsonElement? Object(JsonElement obj, string name) =>
        Member(obj, name) is { ValueKind: JsonValueKind.Object } value ? value : null;

    /// <summary>The items of an array member; none when it is absent or not an array.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement obj, string name) =>
        Member(obj, name) is { ValueKind: JsonValueKind.Array } value ? value.EnumerateArray() : [];

    /// <summary>Trimmed text; null when absent, blank, not a string, or not decodable (an unpaired surrogate escape).</summary>
    public static string? Text(JsonElement obj, string name) => Member(obj, name) is { } value ? TextOf(value) : null;

    /// <inheritdoc cref="Text(JsonElement, string)"/>
    public static string? TextOf(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return null;
        try
        {
            var text = value.GetString()!.Trim();
            return text.Length == 0 ? null : text;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Trimmed text that looks like an email address (see <see cref="EmailAddress"/>); null otherwise.</summary>
    public static string? Email(JsonElement obj, string name) =>
        Text(obj, name) is { } text && EmailAddress.Normalise(text) is not null ? text : null;

    /// <summary>
    /// An id as text: the literal digits of a JSON integer, never through a double (Shopify's ids
    /// exceed 2^53), or a string. A number with a fraction or exponent is not an id.
    /// </summary>
    public static string? Id(JsonElement obj, string name) => Member(obj, name) is { } value ? IdOf(value) : null;

    /// <inheritdoc cref="Id(JsonElement, string)"/>
    public static string? IdOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.GetRawText() is var raw && raw.AsSpan().IndexOfAny(".eE") < 0 => raw,
        JsonValueKind.String => TextOf(value),
        _ => null,
    };

    /// <summary>
    /// Money sent as a string (<c>"199.99"</c>, both platforms' habit) or a number, as a decimal;
    /// unknown (null) when it is not one or is beyond <see cref="Money.MaxAmount"/>.
    /// </summary>
    public static decimal? Amount(JsonElement obj, string name)
    {
        decimal? amount = Member(obj, name) switch
        {
            { ValueKind: JsonValueKind.Number } n => n.TryGetDecimal(out var number) ? number : null,
            { ValueKind: JsonValueKind.String } => decimal.TryParse(Text(obj, name), AmountStyle, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
            _ => null,
        };
        return Money.IsPlausible(amount) ? amount : null;
    }

    /// <summary>A JSON integer, or a string of one, that fits an int.</summary>
    public static int? Integer(JsonElement obj, string name) => Member(obj, name) switch
    {
        { ValueKind: JsonValueKind.Number } n => n.TryGetInt32(out var i) ? i : null,
        { ValueKind: JsonValueKind.String } => int.TryParse(Text(obj, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
        _ => null,
    };

    public static bool? Boolean(JsonElement obj, string name) => Member(obj, name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    /// <summary>
    /// An ISO 8601 time, in UTC. A value without an offset is taken as UTC: the only such
    /// values we read are WooCommerce's <c>*_gmt</c> fields, which are UTC without saying so.
    /// </summary>
    public static DateTimeOffset? Time(JsonElement obj, string name) =>
        DateTimeOffset.TryParse(Text(obj, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : null;
}
