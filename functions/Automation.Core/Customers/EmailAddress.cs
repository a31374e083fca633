namespace Automation.Core.Customers;

/// <summary>Email normalisation used for keys and look-ups.</summary>
public static class EmailAddress
{
    /// <summary>
    /// Trimmed and lower-cased, or null when it is not a plausible address. Lower-casing the
    /// local part is not strictly RFC 5321, but every mailbox provider our stores' customers use
    /// treats it case-insensitively, and a guest who types their address twice must match.
    /// </summary>
    public static string? Normalise(string? email)
    {
        if (string.IsNullOrWhiteSpace(email)) return null;
        var e = email.Trim().ToLowerInvariant();
        var at = e.LastIndexOf('@');
        if (at <= 0 || at == e.Length - 1 || e.Length > 254) return null;
        if (e.AsSpan().IndexOfAny(" \t\r\n<>,;") >= 0) return null;
        var domain = e[(at + 1)..];
        return domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.') ? e : null;
    }
}
