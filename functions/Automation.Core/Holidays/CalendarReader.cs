using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;

namespace Automation.Core.Holidays;

/// <summary>
/// Reads holiday calendars: a market's document (<c>PUT /api/holidays/{store}/markets/{market}</c>) and the shipped
/// defaults (<c>journeys/calendars/holidays.json</c>, a document per market). Every problem is reported at its JSON
/// path with the holiday's id; unknown fields are refused. Never throws, whatever the input.
/// </summary>
public static partial class CalendarReader
{
    public const int MaxHolidays = 200, MaxNameLength = 100, MaxTags = 20;

    /// <summary>Rules nest at most one <c>instead</c> deep; anything deeper than this is not a calendar.</summary>
    private const int MaxJsonDepth = 16;

    private static readonly string[] DocumentMembers = ["schemaVersion", "holidays"];
    private static readonly string[] ShippedMembers = ["schemaVersion", "markets"];
    private static readonly string[] HolidayMembers = ["id", "name", "names", "category", "tags", "rule"];

    /// <summary>A market's calendar: <c>{"schemaVersion": 1, "holidays": [ … ]}</c>.</summary>
    public static CalendarReadResult Read(string json)
    {
        var problems = new CalendarProblems();
        var calendar = WithDocument(json, problems, root => Document(root, "$", DocumentMembers, problems));
        return problems.Count == 0 && calendar is not null ? new(calendar, []) : new(null, problems.ToList());
    }

    /// <summary>The shipped defaults: <c>{"schemaVersion": 1, "markets": {"US": {"holidays": [ … ]}, …}}</c>.</summary>
    public static ShippedCalendarsReadResult ReadShipped(string json)
    {
        var problems = new CalendarProblems();
        var markets = WithDocument(json, problems, root => Shipped(root, problems)) ?? [];
        return new(markets, problems.ToList());
    }

    /// <summary>A market code: two ASCII letters (ISO 3166-1 alpha-2), upper-case.</summary>
    public static bool IsMarket(string code) => MarketPattern().IsMatch(code);

    private static T? WithDocument<T>(string json, CalendarProblems problems, Func<JsonElement, T?> read) where T : class
    {
        var text = json is ['\uFEFF', .. var rest] ? rest : json;
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add("$", "the document is empty; write { \"schemaVersion\": 1, \"holidays\": [ … ] }");
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxJsonDepth, AllowDuplicateProperties = true });
            return read(document.RootElement);
        }
        catch (JsonException ex)
        {
            var (reason, line, position) = JsonSyntax.Describe(ex);
            problems.Add("$", reason.Contains("maximum configured depth", StringComparison.Ordinal)
                ? string.Create(CultureInfo.InvariantCulture, $"nests lists and objects more than {MaxJsonDepth} deep (at line {line}, position {position}); a calendar is not that deep")
                : string.Create(CultureInfo.InvariantCulture, $"is not valid JSON at line {line}, position {position}: {reason}"));
            return null;
        }
    }

    private static Dictionary<string, MarketCalendar>? Shipped(JsonElement root, CalendarProblems problems)
    {
        var json = new CalendarJsonShape(problems);
        if (json.Object(root, "$", "an object { \"schemaVersion\": 1, \"markets\": { … } }", "the defaults", ShippedMembers) is not { } m) return null;
        SchemaVersion(json, m, "$");
        if (!json.Has(m, "$", "markets", "is required: the calendar of each market, by its code, e.g. \"US\"")) return null;
        if (json.Object(m["markets"], "$.markets", "an object of calendars by market code", "markets", null) is not { } markets) return null;
        var calendars = new Dictionary<string, MarketCalendar>(StringComparer.Ordinal);
        foreach (var (code, value) in markets)
        {
            var at = CalendarJsonShape.Member("$.markets", code);
            if (!IsMarket(code)) problems.Add(at, $"{JourneyRules.Quote(code)} is not a market code; use two upper-case letters (ISO 3166-1), e.g. \"GB\"");
            else if (Document(value, at, ["holidays"], problems) is { } calendar) calendars[code] = calendar;
        }
        return calendars;
    }

    private static MarketCalendar? Document(JsonElement root, string path, string[] members, CalendarProblems problems)
    {
        var json = new CalendarJsonShape(problems);
        var expected = members.Contains("schemaVersion") ? "a calendar object { \"schemaVersion\": 1, \"holidays\": [ … ] }" : "a calendar object { \"holidays\": [ … ] }";
        if (json.Object(root, path, expected, "a calendar", members) is not { } m) return null;
        if (members.Contains("schemaVersion")) SchemaVersion(json, m, path);
        if (json.Array(m, path, "holidays", "a list of holidays", "is required: the market's holidays, a list (it may be empty)") is not { } list) return null;
        var at = CalendarJsonShape.Member(path, "holidays");
        if (list.GetArrayLength() > MaxHolidays)
        {
            problems.Add(at, string.Create(CultureInfo.InvariantCulture, $"has {list.GetArrayLength()} holidays; a market has at most {MaxHolidays}"));
            return null;
        }
        var before = problems.Count;
        var read = new List<(Holiday, string)>();
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        // Ids of holidays refused for other reasons still count as there, so a rule naming one is not blamed too.
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.EnumerateArray())
        {
            var itemAt = CalendarJsonShape.Item(at, index++);
            if (IdOf(item) is { } id) ids.Add(id);
            if (Holiday(json, item, itemAt) is not { } holiday) continue;
            if (paths.TryGetValue(holiday.Id, out var first))
            {
                problems.Holiday = holiday.Id;
                problems.Add(CalendarJsonShape.Member(itemAt, "id"), $"{JourneyRules.Quote(holiday.Id)} is already the id of {first[(path.Length + 1)..]}; ids are unique in a calendar");
                problems.Holiday = null;
                continue;
            }
            paths[holiday.Id] = itemAt;
            read.Add((holiday, itemAt));
        }
        CalendarReferences.Check(read, ids, problems);
        return problems.Count == before ? new MarketCalendar([.. read.Select(r => r.Item1)]) : null;
    }

    private static void SchemaVersion(CalendarJsonShape json, Dictionary<string, JsonElement> m, string path) =>
        json.Integer(m, path, "schemaVersion", MarketCalendar.SchemaVersion, MarketCalendar.SchemaVersion,
            "1, the only version there is", "is required: write \"schemaVersion\": 1");

    private static Holiday? Holiday(CalendarJsonShape json, JsonElement value, string path)
    {
        var problems = json.Problems;
        problems.Holiday = IdOf(value);
        try
        {
            if (json.Object(value, path, "a holiday object { \"id\": …, \"name\": …, \"rule\": { … } }", "a holiday", HolidayMembers) is not { } m) return null;
            var before = problems.Count;
            var rules = new RuleReader(json);
            var id = json.String(m, path, "id", "is required: a lower-case id such as \"black-friday\", which journeys name the holiday by");
            if (id is not null) rules.Id(CalendarJsonShape.Member(path, "id"), id);
            var name = Text(json, m, path, "name", "is required: the holiday's name in English");
            var names = Names(json, m, path);
            var category = json.String(m, path, "category");
            if (category is not null && !RuleReader.IsId(category))
                problems.Add(CalendarJsonShape.Member(path, "category"), $"{JourneyRules.Quote(category)} is not a category; use lower-case words joined by hyphens, e.g. \"gifting\"");
            var tags = Tags(json, m, path);
            var rule = json.Has(m, path, "rule", "is required: when the holiday is, e.g. {\"kind\": \"fixed\", \"month\": 12, \"day\": 25}")
                ? rules.Read(m["rule"], CalendarJsonShape.Member(path, "rule"), nested: false) : null;
            return problems.Count == before && rule is not null
                ? new Holiday(id!, name!, rule) { Names = names, Category = category, Tags = tags }
                : null;
        }
        finally
        {
            problems.Holiday = null;
        }
    }

    /// <summary>The holiday's id when it has a well-formed one, to name it in problems.</summary>
    private static string? IdOf(JsonElement holiday) =>
        holiday.ValueKind == JsonValueKind.Object && holiday.TryGetProperty("id", out var id)
        && JsonSyntax.TryGetString(id) is { } text && RuleReader.IsId(text) ? text : null;

    private static string? Text(CalendarJsonShape json, Dictionary<string, JsonElement> m, string path, string member, string? requiredBecause)
    {
        if (json.String(m, path, member, requiredBecause) is not { } text) return null;
        if (text.Trim().Length > 0 && text.Length <= MaxNameLength) return text.Trim();
        json.Problems.Add(CalendarJsonShape.Member(path, member), string.Create(CultureInfo.InvariantCulture, $"must be 1 to {MaxNameLength} characters"));
        return null;
    }

    private static Dictionary<string, string> Names(CalendarJsonShape json, Dictionary<string, JsonElement> m, string path)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!m.TryGetValue("names", out var value)) return names;
        var at = CalendarJsonShape.Member(path, "names");
        if (json.Object(value, at, "an object of names by locale, e.g. {\"de\": \"Muttertag\"}", "names", null) is not { } byLocale) return names;
        foreach (var locale in byLocale.Keys)
        {
            if (!LocalePattern().IsMatch(locale))
                json.Problems.Add(CalendarJsonShape.Member(at, locale), $"{JourneyRules.Quote(locale)} is not a locale; write a language code with an optional region, e.g. \"de\" or \"pt-BR\"");
            else if (Text(json, byLocale, at, locale, null) is { } name) names[locale] = name;
        }
        return names;
    }

    private static IReadOnlyList<string> Tags(CalendarJsonShape json, Dictionary<string, JsonElement> m, string path)
    {
        if (json.Array(m, path, "tags", "a list of tags") is not { } list) return [];
        var at = CalendarJsonShape.Member(path, "tags");
        var tags = new List<string>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemAt = CalendarJsonShape.Item(at, index++);
            var tag = item.ValueKind == JsonValueKind.String ? JsonSyntax.TryGetString(item) : null;
            if (tag is null || !RuleReader.IsId(tag)) json.Problems.Add(itemAt, $"must be a tag in lower-case words joined by hyphens, e.g. \"family\", not {CalendarJsonShape.Describe(item)}");
            else if (tags.Contains(tag)) json.Problems.Add(itemAt, $"{JourneyRules.Quote(tag)} is listed twice");
            else tags.Add(tag);
        }
        if (tags.Count > MaxTags) json.Problems.Add(at, string.Create(CultureInfo.InvariantCulture, $"has {tags.Count} tags; a holiday has at most {MaxTags}"));
        return tags;
    }

    [GeneratedRegex(@"^[A-Z]{2}\z")]
    private static partial Regex MarketPattern();

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?\z")]
    private static partial Regex LocalePattern();
}
