using System.Text.Json.Nodes;
using Automation.Core.Holidays;

namespace Automation.Core.Tests.Holidays;

/// <summary>What the calendar reader refuses, where it says so, and the words it uses.</summary>
public sealed class CalendarReaderTests
{
    private const string Valid = """
        {
          "schemaVersion": 1,
          "holidays": [
            {"id": "valentines-day", "name": "Valentine's Day", "names": {"de": "Valentinstag", "pt-BR": "Dia dos Namorados"}, "category": "gifting", "tags": ["couples"],
             "rule": {"kind": "fixed", "month": 2, "day": 14}},
            {"id": "thanksgiving", "name": "Thanksgiving", "rule": {"kind": "nthWeekday", "month": 11, "weekday": "thursday", "n": 4}},
            {"id": "black-friday", "name": "Black Friday", "rule": {"kind": "relative", "holiday": "thanksgiving", "offsetDays": 1}},
            {"id": "easter", "name": "Easter", "rule": {"kind": "easter", "orthodox": true}},
            {"id": "lunar-new-year", "name": "Lunar New Year", "rule": {"kind": "dates", "dates": ["2026-02-17", "2027-02-06"], "source": "a calendar"}},
            {"id": "pentecost", "name": "Pentecost", "rule": {"kind": "easter", "offsetDays": 49}},
            {"id": "mothers-day", "name": "Mother's Day", "rule": {"kind": "nthWeekday", "month": 5, "weekday": "sunday", "n": -1,
             "avoid": "pentecost", "instead": {"kind": "nthWeekday", "month": 6, "weekday": "sunday", "n": 1}}}
          ]
        }
        """;

    private static JsonObject Holiday(JsonObject document, int index) => document["holidays"]![index]!.AsObject();

    private static JsonObject Rule(JsonObject document, int index) => Holiday(document, index)["rule"]!.AsObject();

    private static string With(Action<JsonObject> change)
    {
        var document = JsonNode.Parse(Valid)!.AsObject();
        change(document);
        return document.ToJsonString();
    }

    public static TheoryData<string, string, string, string, string?> BadDocuments()
    {
        var rows = new TheoryData<string, string, string, string, string?>();
        void Add(string name, Action<JsonObject> change, string path, string message, string? holiday = null) => rows.Add(name, With(change), path, message, holiday);
        void Text(string name, string json, string path, string message) => rows.Add(name, json, path, message, null);

        Text("empty", " ", "$", "the document is empty");
        Text("not JSON", "{\"holidays\": [}", "$", "is not valid JSON at line 1, position 15");
        Text("a list", "[]", "$", "must be a calendar object { \"schemaVersion\": 1, \"holidays\": [ … ] }, not a list");
        Text("a member twice", Valid.Replace("\"schemaVersion\": 1,", "\"schemaVersion\": 1, \"schemaVersion\": 1,", StringComparison.Ordinal), "$.schemaVersion", "appears more than once");
        Add("no schemaVersion", d => d.Remove("schemaVersion"), "$.schemaVersion", "is required: write \"schemaVersion\": 1");
        Add("schemaVersion 2", d => d["schemaVersion"] = 2, "$.schemaVersion", "must be 1, the only version there is, not the number 2");
        Add("unknown top-level field", d => d["holidayz"] = new JsonArray(), "$.holidayz", "unknown field 'holidayz' in a calendar; a calendar has: schemaVersion, holidays (did you mean 'holidays'?)");
        Add("no holidays", d => d.Remove("holidays"), "$.holidays", "is required");
        Add("holiday not an object", d => d["holidays"]![0] = "christmas", "$.holidays[0]", "must be a holiday object");
        Add("unknown holiday field", d => Holiday(d, 1)["date"] = "2026-11-26", "$.holidays[1].date",
            "unknown field 'date' in a holiday; a holiday has: id, name, names, category, tags, rule", "thanksgiving");
        Add("no id", d => Holiday(d, 1).Remove("id"), "$.holidays[1].id", "is required");
        Add("id not kebab-case", d => Holiday(d, 1)["id"] = "Thanks Giving", "$.holidays[1].id", "'Thanks Giving' is not a holiday id; ids are lower-case words joined by hyphens");
        Add("duplicate id", d => Holiday(d, 2)["id"] = "thanksgiving", "$.holidays[2].id", "'thanksgiving' is already the id of holidays[1]; ids are unique in a calendar", "thanksgiving");
        Add("no name", d => Holiday(d, 1).Remove("name"), "$.holidays[1].name", "is required: the holiday's name in English", "thanksgiving");
        Add("blank name", d => Holiday(d, 1)["name"] = "  ", "$.holidays[1].name", "must be 1 to 100 characters", "thanksgiving");
        Add("bad locale", d => Holiday(d, 0)["names"]!["deutsch"] = "Valentinstag", "$.holidays[0].names.deutsch", "'deutsch' is not a locale", "valentines-day");
        Add("tag twice", d => Holiday(d, 0)["tags"] = new JsonArray("couples", "couples"), "$.holidays[0].tags[1]", "'couples' is listed twice", "valentines-day");
        Add("no rule", d => Holiday(d, 1).Remove("rule"), "$.holidays[1].rule", "is required", "thanksgiving");
        Add("no kind", d => Rule(d, 1).Remove("kind"), "$.holidays[1].rule.kind", "is required: one of fixed, nthWeekday, relative, easter, dates", "thanksgiving");
        Add("unknown kind", d => Rule(d, 1)["kind"] = "lunar", "$.holidays[1].rule.kind", "must be one of fixed, nthWeekday, relative, easter, dates, not the string 'lunar'");
        Add("misspelt kind", d => Rule(d, 1)["kind"] = "nthweekday", "$.holidays[1].rule.kind", "(did you mean 'nthWeekday'?)");
        Add("month 13", d => Rule(d, 0)["month"] = 13, "$.holidays[0].rule.month", "must be a month from 1 to 12, not the number 13", "valentines-day");
        Add("month as text", d => Rule(d, 0)["month"] = "2", "$.holidays[0].rule.month", "must be a month from 1 to 12, not the string '2'");
        Add("30 February", d => Rule(d, 0)["day"] = 30, "$.holidays[0].rule.day", "February has no day 30; it has 29 days", "valentines-day");
        Add("31 April", d => { Rule(d, 0)["month"] = 4; Rule(d, 0)["day"] = 31; }, "$.holidays[0].rule.day", "April has no day 31");
        Add("day 0", d => Rule(d, 0)["day"] = 0, "$.holidays[0].rule.day", "must be a day of the month from 1 to 31, not the number 0");
        Add("member of another kind", d => Rule(d, 0)["weekday"] = "monday", "$.holidays[0].rule.weekday",
            "unknown field 'weekday' in a fixed rule; a fixed rule has: kind, month, day, offsetDays, avoid, instead");
        Add("n 6", d => Rule(d, 1)["n"] = 6, "$.holidays[1].rule.n", "must be 1 to 5 (the 1st to the 5th) or -1 (the last), not the number 6", "thanksgiving");
        Add("n 0", d => Rule(d, 1)["n"] = 0, "$.holidays[1].rule.n", "not the number 0");
        Add("n fractional", d => Rule(d, 1)["n"] = 1.5, "$.holidays[1].rule.n", "not the number 1.5");
        Add("weekday misspelt", d => Rule(d, 1)["weekday"] = "thurday", "$.holidays[1].rule.weekday",
            "must be one of monday, tuesday, wednesday, thursday, friday, saturday, sunday, not 'thurday' (did you mean 'thursday'?)");
        Add("weekday capitalised", d => Rule(d, 1)["weekday"] = "Thursday", "$.holidays[1].rule.weekday", "(did you mean 'thursday'?)");
        Add("offset too far", d => Rule(d, 2)["offsetDays"] = 400, "$.holidays[2].rule.offsetDays", "must be a whole number of days from -366 to 366, not the number 400", "black-friday");
        Add("relative to nothing", d => Rule(d, 2)["holiday"] = "thanksgivng", "$.holidays[2].rule.holiday",
            "names 'thanksgivng', which is not a holiday in this calendar (did you mean 'thanksgiving'?)", "black-friday");
        Add("relative to itself", d => Rule(d, 2)["holiday"] = "black-friday", "$.holidays[2].rule.holiday", "the holiday this rule belongs to", "black-friday");
        Add("a cycle", d => d["holidays"]![1]!["rule"] = JsonNode.Parse("""{"kind": "relative", "holiday": "black-friday", "offsetDays": -1}"""),
            "$.holidays[1].rule", "'thanksgiving' → 'black-friday' → 'thanksgiving' is a cycle", "thanksgiving");
        Add("a cycle through avoid", d => d["holidays"]![5]!["rule"] = JsonNode.Parse("""{"kind": "relative", "holiday": "mothers-day", "offsetDays": 7}"""),
            "$.holidays[5].rule", "'pentecost' → 'mothers-day' → 'pentecost' is a cycle", "pentecost");
        Add("orthodox as text", d => Rule(d, 3)["orthodox"] = "yes", "$.holidays[3].rule.orthodox", "must be true or false, not the string 'yes'", "easter");
        Add("dates empty", d => Rule(d, 4)["dates"] = new JsonArray(), "$.holidays[4].rule.dates", "must list 1 to 200 dates, not 0", "lunar-new-year");
        Add("impossible date", d => Rule(d, 4)["dates"]![1] = "2027-02-30", "$.holidays[4].rule.dates[1]",
            "must be a date written yyyy-MM-dd, e.g. \"2026-02-17\", not the string '2027-02-30'", "lunar-new-year");
        Add("date twice", d => Rule(d, 4)["dates"]![1] = "2026-02-17", "$.holidays[4].rule.dates[1]", "'2026-02-17' is listed twice");
        Add("offset on dates", d => Rule(d, 4)["offsetDays"] = 1, "$.holidays[4].rule.offsetDays", "unknown field 'offsetDays' in a dates rule");
        Add("avoid without instead", d => Rule(d, 6).Remove("instead"), "$.holidays[6].rule.instead", "is required with avoid", "mothers-day");
        Add("instead without avoid", d => Rule(d, 6).Remove("avoid"), "$.holidays[6].rule.avoid", "is required with instead", "mothers-day");
        Add("avoid names nothing", d => Rule(d, 6)["avoid"] = "whitsun", "$.holidays[6].rule.avoid", "names 'whitsun', which is not a holiday in this calendar");
        Add("instead lists dates", d => Rule(d, 6)["instead"] = JsonNode.Parse("""{"kind": "dates", "dates": ["2026-06-07"]}"""),
            "$.holidays[6].rule.instead.kind", "cannot be dates in an instead rule");
        Add("instead avoids again", d => Rule(d, 6)["instead"]!["avoid"] = "easter", "$.holidays[6].rule.instead.avoid", "unknown field 'avoid' in a nthWeekday rule");
        Add("instead has a bad month", d => Rule(d, 6)["instead"]!["month"] = 0, "$.holidays[6].rule.instead.month", "must be a month from 1 to 12, not the number 0", "mothers-day");
        return rows;
    }

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public void a_bad_document_is_refused_at_the_path_of_the_problem(string name, string json, string path, string message, string? holiday)
    {
        var read = CalendarReader.Read(json);

        Assert.False(read.IsValid, name);
        Assert.Null(read.Calendar);
        var problem = read.Problems.FirstOrDefault(p => p.Path == path);
        Assert.True(problem is not null, $"{name}: no problem at {path}; got {string.Join(" | ", read.Problems)}");
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        if (holiday is not null) Assert.Equal(holiday, problem.Holiday);
    }

    [Fact]
    public void every_problem_in_a_document_is_reported_not_just_the_first()
    {
        var read = CalendarReader.Read(With(d =>
        {
            Rule(d, 0)["month"] = 13;
            Rule(d, 1)["n"] = 9;
            Holiday(d, 3)["colour"] = "red";
        }));

        Assert.Equal(["$.holidays[0].rule.month", "$.holidays[1].rule.n", "$.holidays[3].colour"], read.Problems.Select(p => p.Path));
        Assert.Equal("$.holidays[0].rule.month (valentines-day): must be a month from 1 to 12, not the number 13", read.Problems[0].ToString());
    }

    [Fact]
    public void a_valid_document_reads_into_the_model_and_writes_back_the_same()
    {
        var read = CalendarReader.Read(Valid);

        Assert.True(read.IsValid, string.Join("; ", read.Problems));
        var calendar = read.Calendar!;
        Assert.Equal(7, calendar.Holidays.Count);
        var valentines = calendar.Find("valentines-day")!;
        Assert.Equal(("Valentinstag", "gifting", "couples"), (valentines.Names["de"], valentines.Category, valentines.Tags.Single()));
        Assert.Equal(new NthWeekdayRule(11, DayOfWeek.Thursday, 4), calendar.Find("thanksgiving")!.Rule);
        Assert.Equal("pentecost", calendar.Find("mothers-day")!.Rule.Avoid);

        var written = CalendarJson.Write(calendar);
        var again = CalendarReader.Read(written);
        Assert.True(again.IsValid, string.Join("; ", again.Problems));
        Assert.Equal(written, CalendarJson.Write(again.Calendar!));
        Assert.Equal(JsonNode.Parse(Valid)!["holidays"]![1]!.ToJsonString(), JsonNode.Parse(written)!["holidays"]![1]!.ToJsonString());
    }

    [Fact]
    public void an_empty_list_of_holidays_is_a_calendar_with_none()
    {
        var read = CalendarReader.Read("""{"schemaVersion": 1, "holidays": []}""");

        Assert.True(read.IsValid);
        Assert.Empty(read.Calendar!.Holidays);
    }

    [Fact]
    public void a_huge_document_gets_a_bounded_answer()
    {
        var holidays = string.Join(", ", Enumerable.Range(0, 150).Select(i => $$$"""{"id": "h{{{i}}}", "name": "H", "rule": {"kind": "fixed", "month": 13, "day": 40}}"""));
        var read = CalendarReader.Read(Calendars.Document(holidays));

        Assert.Equal(CalendarProblems.MaxListed + 1, read.Problems.Count);
        Assert.Contains("more problems are not listed", read.Problems[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void the_shipped_form_reads_a_calendar_per_market_and_names_the_market_in_paths()
    {
        var read = CalendarReader.ReadShipped("""
            {"schemaVersion": 1, "markets": {
              "US": {"holidays": [{"id": "thanksgiving", "name": "Thanksgiving", "rule": {"kind": "nthWeekday", "month": 11, "weekday": "thursday", "n": 4}}]},
              "GB": {"holidays": [{"id": "boxing-day", "name": "Boxing Day", "rule": {"kind": "fixed", "month": 12, "day": 32}}]},
              "uk": {"holidays": []}
            }}
            """);

        Assert.Equal(["US"], read.Markets.Keys);
        Assert.Equal(["$.markets.GB.holidays[0].rule.day", "$.markets.uk"], read.Problems.Select(p => p.Path));
        Assert.Contains("'uk' is not a market code", read.Problems[1].Message, StringComparison.Ordinal);
    }
}
