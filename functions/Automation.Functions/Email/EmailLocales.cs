namespace Automation.Functions.Email;

/// <summary>
/// Which of a template's locales a recipient gets: the customer's locale (<c>pt-BR</c>), its language
/// (<c>pt</c>), another region of that language (<c>pt-PT</c> reads <c>pt-BR</c> rather than English),
/// then the store's locale by the same steps, then English.
/// </summary>
public static class EmailLocales
{
    public const string Fallback = "en";

    /// <returns>One of <paramref name="available"/>; <see cref="Fallback"/> when there is none.</returns>
    public static string Choose(IReadOnlyCollection<string> available, string? customerLocale, string? storeLocale)
    {
        foreach (var wanted in Candidates(customerLocale).Concat(Candidates(storeLocale)).Append((Locale: Fallback, AnyRegion: false)))
        {
            if (available.FirstOrDefault(a => string.Equals(a, wanted.Locale, StringComparison.OrdinalIgnoreCase)) is { } exact) return exact;
            if (wanted.AnyRegion && available.Order(StringComparer.Ordinal).FirstOrDefault(a => Language(a) == wanted.Locale) is string sibling) return sibling;
        }
        return available.Count > 0 && !available.Contains(Fallback) ? available.Order(StringComparer.Ordinal).First() : Fallback;
    }

    /// <summary><c>pt_br</c> → <c>pt-BR</c>; null when it is not a locale tag.</summary>
    public static string? Normalise(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale)) return null;
        var parts = locale.Trim().Replace('_', '-').Split('-', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(p => p.Length > 8 || !p.All(char.IsAsciiLetterOrDigit))) return null;
        return string.Join('-', parts.Select((p, i) => i == 0 ? p.ToLowerInvariant() : p.Length == 2 ? p.ToUpperInvariant() : p));
    }

    public static string Language(string locale) => locale.Split('-', 2)[0].ToLowerInvariant();

    private static IEnumerable<(string Locale, bool AnyRegion)> Candidates(string? locale)
    {
        if (Normalise(locale) is not { } tag) yield break;
        yield return (tag, false);
        var language = Language(tag);
        if (language != tag) yield return (language, false);
        yield return (language, true);
    }
}
