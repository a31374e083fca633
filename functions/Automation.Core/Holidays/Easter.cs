namespace Automation.Core.Holidays;

/// <summary>Easter Sunday, as Gregorian dates.</summary>
public static class Easter
{
    /// <summary>Western Easter: the anonymous Gregorian algorithm (Meeus/Jones/Butcher).</summary>
    public static DateOnly Western(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451, n = h + l - 7 * m + 114;
        return new DateOnly(year, n / 31, n % 31 + 1);
    }

    /// <summary>
    /// Orthodox Easter: the Julian computus (Meeus), whose date is on the Julian calendar, moved onto the
    /// Gregorian one by the gap between the two (13 days from 1900 to 2099).
    /// </summary>
    public static DateOnly Orthodox(int year)
    {
        int a = year % 4, b = year % 7, c = year % 19, d = (19 * c + 15) % 30, e = (2 * a + 4 * b - d + 34) % 7;
        int n = d + e + 114;
        var julianGap = year / 100 - year / 400 - 2;
        return new DateOnly(year, n / 31, n % 31 + 1).AddDays(julianGap);
    }
}
