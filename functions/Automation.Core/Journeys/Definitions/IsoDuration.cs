using System.Globalization;
using System.Text.RegularExpressions;

namespace Automation.Core.Journeys.Definitions;

/// <summary>
/// ISO 8601 durations as journeys use them: weeks, days, hours, minutes, seconds
/// (<c>P30D</c>, <c>P2W</c>, <c>PT36H</c>, <c>P1DT12H</c>), with a leading minus for offsets
/// before a date (<c>-P7D</c>). Years and months are refused: their length varies, and
/// "30 days" is what a marketer means by "a month" here.
/// </summary>
public static partial class IsoDuration
{
    [GeneratedRegex(@"^(?<neg>-)?P(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<m>\d+)M)?(?:(?<s>\d+)S)?)?$")]
    private static partial Regex Pattern();

    /// <summary>The longest duration a journey may use (10 years): beyond it is a typo.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(3660);

    public static bool TryParse(string? text, out TimeSpan value, out string? problem)
    {
        value = default;
        problem = null;
        if (string.IsNullOrEmpty(text)) { problem = "is empty; write an ISO 8601 duration such as \"P30D\" or \"PT2H\""; return false; }
        var m = Pattern().Match(text);
        if (!m.Success || text.EndsWith('T') || text is "P" or "-P")
        {
            problem = Regex.IsMatch(text, @"^-?P(\d+Y|\d+M)", RegexOptions.None, TimeSpan.FromSeconds(1))
                ? $"\"{text}\" uses years or months, whose length varies; write days instead, e.g. \"P30D\""
                : $"\"{text}\" is not an ISO 8601 duration; write e.g. \"P30D\" (30 days), \"PT2H\" (2 hours) or \"P1DT12H\"";
            return false;
        }
        try
        {
            long Part(string g) => m.Groups[g].Success ? long.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
            var seconds = checked(Part("w") * 7 * 86400 + Part("d") * 86400 + Part("h") * 3600 + Part("m") * 60 + Part("s"));
            if (seconds > (long)Max.TotalSeconds) { problem = $"\"{text}\" is longer than ten years"; return false; }
            value = TimeSpan.FromSeconds(m.Groups["neg"].Success ? -seconds : seconds);
            return true;
        }
        catch (Exception ex) when (ex is OverflowException or FormatException)
        {
            problem = $"\"{text}\" is longer than ten years";
            return false;
        }
    }

    /// <summary>Parses a duration the validator has already accepted.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out var problem) ? value : throw new FormatException($"duration {problem}");

    public static string Format(TimeSpan t)
    {
        var sign = t < TimeSpan.Zero ? "-" : "";
        t = t.Duration();
        var time = (t.Hours, t.Minutes, t.Seconds) is (0, 0, 0) ? "" : "T"
            + (t.Hours > 0 ? $"{t.Hours}H" : "") + (t.Minutes > 0 ? $"{t.Minutes}M" : "") + (t.Seconds > 0 ? $"{t.Seconds}S" : "");
        var days = t.Days > 0 || time.Length == 0 ? $"{t.Days}D" : "";
        return $"{sign}P{days}{time}";
    }
}
