using System.Text;

namespace Automation.Functions.Coupons;

/// <summary>
/// Reads an uploaded list of codes: one per line, or the first column of a CSV such as Shopify's
/// bulk discount-code export; an optional header row whose first column is <c>code</c> (or
/// <c>discount code</c>); blank lines skipped, values trimmed, quotes removed.
/// </summary>
public static class PoolCsv
{
    public sealed record Invalid(int Line, string Reason);

    public sealed record Parsed(IReadOnlyList<string> Codes, IReadOnlyList<Invalid> Invalid);

    private static readonly HashSet<string> Headers = new(StringComparer.OrdinalIgnoreCase) { "code", "codes", "discount code", "discount_code" };

    public static Parsed Read(byte[] body)
    {
        var text = new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(body).TrimStart('\uFEFF');
        var codes = new List<string>();
        var invalid = new List<Invalid>();
        var lines = text.Split('\n');
        var first = true;
        for (var i = 0; i < lines.Length; i++)
        {
            var value = FirstColumn(lines[i].TrimEnd('\r')).Trim();
            if (value.Length == 0 && lines[i].Trim().Length == 0) continue;
            if (first && Headers.Contains(value))
            {
                first = false;
                continue;
            }
            first = false;
            if (CouponTable.IsCode(value)) codes.Add(value);
            else invalid.Add(new Invalid(i + 1, value.Length == 0 ? "no code in the first column"
                : value.Length > 64 ? $"a code has at most 64 characters; this one has {value.Length}"
                : "a code is letters, digits, '_' and '-' only"));
        }
        return new Parsed(codes, invalid);
    }

    private static string FirstColumn(string line)
    {
        line = line.TrimStart();
        if (!line.StartsWith('"')) return line.Split(',', 2)[0];
        var value = new StringBuilder();
        for (var i = 1; i < line.Length; i++)
        {
            if (line[i] != '"') value.Append(line[i]);
            else if (i + 1 < line.Length && line[i + 1] == '"') value.Append(line[++i]);
            else break;
        }
        return value.ToString();
    }
}
