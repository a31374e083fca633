using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Automation.Functions.Email;

/// <summary>Values as the recipient reads them: numbers, money and dates in their locale, dates in their time zone.</summary>
public static partial class EmailFormat
{
    /// <summary>The customer's own culture when it speaks the template's language (<c>en-GB</c> dates for an English template), else the template's.</summary>
    public static CultureInfo Culture(string? customerLocale, string templateLocale)
    {
        if (EmailLocales.Normalise(customerLocale) is { } own && EmailLocales.Language(own) == EmailLocales.Language(templateLocale) && Find(own) is { } c) return c;
        return Find(templateLocale) ?? CultureInfo.InvariantCulture;
    }

    /// <summary><c>20%</c>, <c>20 %</c>, <c>12,5 %</c>: the culture's own percent pattern.</summary>
    public static string Percent(decimal percentOff, CultureInfo culture)
    {
        var digits = percentOff == decimal.Truncate(percentOff) ? 0 : 1;
        return NoBreak((percentOff / 100m).ToString("P" + digits.ToString(CultureInfo.InvariantCulture), culture));
    }

    /// <summary><c>€10.00</c>, <c>10,00 €</c>: the culture's currency pattern with the symbol of <paramref name="currency"/>.</summary>
    public static string Money(decimal amount, string? currency, CultureInfo culture)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        if (currency is { Length: 3 } code)
        {
            var upper = code.ToUpperInvariant();
            var (symbol, digits) = Symbols.TryGetValue(EmailLocales.Language(culture.Name.Length == 0 ? "en" : culture.Name) + "|" + upper, out var own) ? own
                : Symbols.TryGetValue(upper, out var any) ? any : (upper, 2);
            format.CurrencySymbol = symbol;
            format.CurrencyDecimalDigits = digits;
        }
        return NoBreak(amount.ToString("C", format));
    }

    /// <summary>The day in the recipient's zone, in words: <c>5 December 2026</c>, <c>December 5, 2026</c>, <c>5 декабря 2026 г.</c>.</summary>
    public static string Date(DateTimeOffset at, TimeZoneInfo zone, CultureInfo culture)
    {
        // No weekday, and no trailing abbreviation ("2026 г.") that would double the sentence's full stop.
        var pattern = TrailingAbbreviation().Replace(Weekday().Replace(culture.DateTimeFormat.LongDatePattern, ""), "").Trim(' ', ',');
        return TimeZoneInfo.ConvertTime(at, zone).ToString(pattern.Length == 0 ? "D" : pattern, culture);
    }

    /// <summary>"20 %" and "10,00 €" never break across lines.</summary>
    private static string NoBreak(string s) => s.Replace(' ', '\u00A0');

    private static CultureInfo? Find(string name)
    {
        try
        {
            var culture = CultureInfo.GetCultureInfo(name);
            // ICU makes up a culture for any well-formed tag; one it does not know has no language of its own.
            return culture.TwoLetterISOLanguageName is "iv" ? null : culture;
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }

    // Currency code → (symbol, digits), by language first ("fr|CHF") and then any ("CHF").
    private static readonly FrozenDictionary<string, (string Symbol, int Digits)> Symbols = BuildSymbols();

    private static FrozenDictionary<string, (string, int)> BuildSymbols()
    {
        var map = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        foreach (var c in CultureInfo.GetCultures(CultureTypes.SpecificCultures).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            string code;
            try
            {
                code = new RegionInfo(c.Name).ISOCurrencySymbol;
            }
            catch (ArgumentException)
            {
                continue;
            }
            var value = (c.NumberFormat.CurrencySymbol, c.NumberFormat.CurrencyDecimalDigits);
            map.TryAdd(c.TwoLetterISOLanguageName + "|" + code, value);
            // The currency's home culture gives the generic symbol (en-US for USD, not en-AS).
            if (!map.ContainsKey(code) || c.Name.EndsWith("-" + code[..2], StringComparison.Ordinal)) map[code] = value;
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"[\s\u00A0\u202F]*'[^']*'\.$|[\s\u00A0\u202F]*'[^']*\.'$")]
    private static partial Regex TrailingAbbreviation();

    [GeneratedRegex(@"d{4},?\s*|,?\s*d{4}")]
    private static partial Regex Weekday();
}
