using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Automation.Core.Holidays;

/// <summary>
/// Writes a calendar as the document <see cref="CalendarReader.Read"/> takes, members in one order and defaults
/// left out, so the same calendar is always the same text (stored, served, and hashed for its ETag).
/// </summary>
public static class CalendarJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(MarketCalendar calendar)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", MarketCalendar.SchemaVersion);
            w.WriteStartArray("holidays");
            foreach (var holiday in calendar.Holidays) WriteHoliday(w, holiday);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteHoliday(Utf8JsonWriter w, Holiday holiday)
    {
        w.WriteStartObject();
        w.WriteString("id", holiday.Id);
        w.WriteString("name", holiday.Name);
        if (holiday.Names.Count > 0)
        {
            w.WriteStartObject("names");
            foreach (var (locale, name) in holiday.Names.OrderBy(n => n.Key, StringComparer.Ordinal)) w.WriteString(locale, name);
            w.WriteEndObject();
        }
        if (holiday.Category is { } category) w.WriteString("category", category);
        if (holiday.Tags.Count > 0)
        {
            w.WriteStartArray("tags");
            foreach (var tag in holiday.Tags) w.WriteStringValue(tag);
            w.WriteEndArray();
        }
        w.WritePropertyName("rule");
        WriteRule(w, holiday.Rule);
        w.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter w, HolidayRule rule)
    {
        w.WriteStartObject();
        switch (rule)
        {
            case FixedDateRule f:
                w.WriteString("kind", RuleReader.Fixed);
                w.WriteNumber("month", f.Month);
                w.WriteNumber("day", f.Day);
                break;
            case NthWeekdayRule n:
                w.WriteString("kind", RuleReader.NthWeekday);
                w.WriteNumber("month", n.Month);
                w.WriteString("weekday", n.Weekday.ToString().ToLowerInvariant());
                w.WriteNumber("n", n.N);
                break;
            case RelativeRule r:
                w.WriteString("kind", RuleReader.Relative);
                w.WriteString("holiday", r.Holiday);
                break;
            case EasterRule e:
                w.WriteString("kind", RuleReader.EasterKind);
                if (e.Orthodox) w.WriteBoolean("orthodox", true);
                break;
            case ExplicitDatesRule x:
                w.WriteString("kind", RuleReader.Dates);
                w.WriteStartArray("dates");
                foreach (var date in x.Dates) w.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                w.WriteEndArray();
                if (x.Source is { } source) w.WriteString("source", source);
                break;
        }
        if (rule.OffsetDays != 0) w.WriteNumber("offsetDays", rule.OffsetDays);
        if (rule.Avoid is { } avoid) w.WriteString("avoid", avoid);
        if (rule.Instead is { } instead)
        {
            w.WritePropertyName("instead");
            WriteRule(w, instead);
        }
        w.WriteEndObject();
    }
}
