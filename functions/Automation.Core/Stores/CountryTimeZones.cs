namespace Automation.Core.Stores;

/// <summary>
/// The time zone to assume for a customer from their country, for countries that keep one
/// civil time. Countries spanning several zones (US, BR, RU, CA, AU, MX, …) return null and
/// the store's own zone stays in force unless the customer's zone is known directly.
/// </summary>
public static class CountryTimeZones
{
    private static readonly Dictionary<string, string> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GB"] = "Europe/London", ["IE"] = "Europe/Dublin", ["DE"] = "Europe/Berlin", ["FR"] = "Europe/Paris",
        ["ES"] = "Europe/Madrid", ["IT"] = "Europe/Rome", ["NL"] = "Europe/Amsterdam", ["BE"] = "Europe/Brussels",
        ["AT"] = "Europe/Vienna", ["CH"] = "Europe/Zurich", ["PL"] = "Europe/Warsaw", ["SE"] = "Europe/Stockholm",
        ["NO"] = "Europe/Oslo", ["DK"] = "Europe/Copenhagen", ["FI"] = "Europe/Helsinki", ["PT"] = "Europe/Lisbon",
        ["CZ"] = "Europe/Prague", ["GR"] = "Europe/Athens", ["RO"] = "Europe/Bucharest", ["HU"] = "Europe/Budapest",
        ["UA"] = "Europe/Kyiv", ["TR"] = "Europe/Istanbul", ["IL"] = "Asia/Jerusalem", ["AE"] = "Asia/Dubai",
        ["SA"] = "Asia/Riyadh", ["IN"] = "Asia/Kolkata", ["CN"] = "Asia/Shanghai", ["HK"] = "Asia/Hong_Kong",
        ["TW"] = "Asia/Taipei", ["JP"] = "Asia/Tokyo", ["KR"] = "Asia/Seoul", ["SG"] = "Asia/Singapore",
        ["MY"] = "Asia/Kuala_Lumpur", ["TH"] = "Asia/Bangkok", ["VN"] = "Asia/Ho_Chi_Minh", ["PH"] = "Asia/Manila",
        ["NZ"] = "Pacific/Auckland", ["ZA"] = "Africa/Johannesburg", ["NG"] = "Africa/Lagos", ["EG"] = "Africa/Cairo",
        ["KE"] = "Africa/Nairobi", ["AR"] = "America/Argentina/Buenos_Aires", ["CL"] = "America/Santiago",
        ["CO"] = "America/Bogota", ["PE"] = "America/Lima",
    };

    public static string? For(string? country) =>
        country is not null && Zones.TryGetValue(country, out var zone) ? zone : null;
}
