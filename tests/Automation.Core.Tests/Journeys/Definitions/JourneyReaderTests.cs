using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Journeys.Conditions;
using Automation.Core.Journeys.Definitions;
using static Automation.Core.Tests.Journeys.Definitions.JourneyExamples;

namespace Automation.Core.Tests.Journeys.Definitions;

public sealed class JourneyReaderTests
{
    private static IReadOnlyList<JourneyProblem> Problems(string json) => JourneyReader.Read(json, Catalog).Problems;

    private static string Show(IEnumerable<JourneyProblem> problems) => string.Join("\n", problems.Select(p => $"{p.Path}: {p.Message}"));

    [Fact]
    public void a_full_example_using_every_step_type_reads_clean()
    {
        var result = JourneyReader.Read(PostPurchase, Catalog);

        Assert.True(result.IsValid, Show(result.Problems));
        var d = result.Definition!;
        Assert.Equal(StepTypes.All.Order(), d.Steps.Select(s => s.Type).Distinct().Order());
        Assert.Equal("post-purchase", d.Id);
        Assert.Equal("wait-for-delivery", d.StartStep);
        Assert.Equal(Reentry.AfterMode, d.Reentry.Mode);
        Assert.Equal("P30D", d.Reentry.After);
        Assert.Equal("order.placed", d.Trigger.Event);
        Assert.Equal(ConditionOps.Gte, d.Trigger.Condition!.Op);
        Assert.Equal(2, d.Audience!.All!.Count);
        Assert.Equal("second-order", Assert.Single(d.Goals).Id);
        var split = d.Step("test-offer")!;
        Assert.Equal([50, 50], split.Paths!.Select(p => p.Weight));
        Assert.Equal(10, split.Holdout!.Weight);
        Assert.True(d.Step("wait-for-delivery")!.SameOrder);
        Assert.Equal(["post-purchase-done"], d.Step("tag-done")!.AddTags!);
    }

    [Fact]
    public void the_node_overload_and_the_typed_validator_agree_with_the_text_reader()
    {
        var fromNode = JourneyReader.Read(Document(), Catalog);

        Assert.True(fromNode.IsValid, Show(fromNode.Problems));
        Assert.Empty(JourneyValidator.Validate(fromNode.Definition!, Catalog));
    }

    [Fact]
    public void a_scheduled_journey_and_the_date_form_of_wait_until_read_clean()
    {
        var result = JourneyReader.Read("""
            {
              "schemaVersion": 1, "id": "black-friday-teaser", "name": "Black Friday teaser",
              "trigger": { "schedule": { "holiday": "black-friday", "offset": "-P7D", "timeOfDay": "10:00" } },
              "audience": { "field": "customer.consent", "op": "eq", "value": "subscribed" },
              "reentry": { "mode": "once" },
              "steps": [
                { "id": "teaser", "type": "sendEmail", "template": "come-back", "next": "sale-ends" },
                { "id": "sale-ends", "type": "waitUntil", "date": "2026-11-30", "timeOfDay": "23:00", "next": "done" },
                { "id": "done", "type": "exit" }
              ]
            }
            """, Catalog);

        Assert.True(result.IsValid, Show(result.Problems));
    }

    [Fact]
    public void a_loop_that_waits_is_allowed()
    {
        var problems = Problems("""
            {
              "schemaVersion": 1, "id": "nag", "name": "Nag until they buy",
              "trigger": { "event": "checkout.started" },
              "goals": [ { "id": "bought", "event": "order.placed" } ],
              "steps": [
                { "id": "wait", "type": "wait", "duration": "P1D", "next": "remind" },
                { "id": "remind", "type": "sendEmail", "template": "come-back", "next": "wait" }
              ]
            }
            """);

        Assert.Empty(problems);
    }

    [Fact]
    public void every_problem_is_reported()
    {
        var json = With(d =>
        {
            d["schemaVersion"] = 2;
            d["trigger"]!["event"] = "coupon.issued";
            d.Step(3)["duration"] = "P0D";
            d.Step(5)["template"] = "review";
            d["steps"]!.AsArray().Add(new JsonObject { ["id"] = "orphan", ["type"] = "exit" });
        });

        var problems = Problems(json);

        Assert.Equal(
            ["$.schemaVersion", "$.steps[15]", "$.steps[3].duration", "$.steps[5].template", "$.trigger.event"],
            problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void every_shape_problem_is_reported_before_anything_is_deserialized()
    {
        var json = With(d =>
        {
            d["nmae"] = "typo";
            d.Remove("id");
            d["maxEventAge"] = 2;
            d.Step(3)["type"] = "sleep";
            d.Step(0)["sameOrder"] = "yes";
        });

        var result = JourneyReader.Read(json, Catalog);

        Assert.Null(result.Definition);
        Assert.Equal(
            ["$.id", "$.maxEventAge", "$.nmae", "$.steps[0].sameOrder", "$.steps[3].type"],
            result.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void a_definition_with_only_meaning_problems_is_still_returned_but_not_valid()
    {
        var result = JourneyReader.Read(With(d => d.Step(3)["duration"] = "P0D"), Catalog);

        Assert.NotNull(result.Definition);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void malformed_json_is_one_problem_naming_line_and_position()
    {
        var problem = Assert.Single(Problems("{\n  \"id\": \"x\",\n  \"name\" \"y\"\n}"));

        Assert.Equal("$", problem.Path);
        Assert.Contains("line 3, position", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("\"journey\"")]
    [InlineData("[{}]")]
    public void a_document_that_is_not_an_object_is_one_problem_at_the_root(string json)
    {
        var problem = Assert.Single(Problems(json));

        Assert.Equal("$", problem.Path);
    }

    [Fact]
    public void conditions_nested_deeper_than_32_are_refused_at_the_first_level_too_deep()
    {
        JsonNode condition = new JsonObject { ["field"] = "customer.tier", ["op"] = "eq", ["value"] = "vip" };
        for (var i = 0; i < 40; i++) condition = new JsonObject { ["not"] = condition };
        var json = With(d => d["audience"] = condition);

        var problem = Assert.Single(Problems(json));

        Assert.Equal("$.audience" + string.Concat(Enumerable.Repeat(".not", 32)), problem.Path);
        Assert.Contains("more than 32 deep", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_node_nested_ten_thousand_deep_does_not_throw()
    {
        JsonNode condition = new JsonObject { ["field"] = "customer.tier", ["op"] = "eq", ["value"] = "vip" };
        for (var i = 0; i < 10_000; i++) condition = new JsonObject { ["any"] = new JsonArray(condition) };
        JsonNode junk = new JsonArray();
        for (var i = 0; i < 10_000; i++) junk = new JsonArray(junk);
        var document = Document();
        document["audience"] = condition;
        document["junk"] = junk;

        var result = JourneyReader.Read(document, Catalog);

        Assert.Contains(result.Problems, p => p.Path == "$.junk");
        Assert.Contains(result.Problems, p => p.Message.Contains("more than 32 deep", StringComparison.Ordinal));
    }

    [Fact]
    public void text_nested_too_deep_for_the_parser_is_one_problem()
    {
        var problem = Assert.Single(Problems(new string('[', 100_000)));

        Assert.Equal("$", problem.Path);
        Assert.StartsWith("nests lists and objects more than 128 deep (at line 1, position 129)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_branch_condition_nested_32_deep_reads_clean_and_round_trips_with_the_readers_options()
    {
        JsonNode condition = new JsonObject { ["field"] = "customer.tier", ["op"] = "eq", ["value"] = "vip" };
        for (var i = 1; i < 32; i++) condition = new JsonObject { ["all"] = new JsonArray(condition) };
        var json = With(d => d.Step(7)["branches"]![0]!["condition"] = condition);

        var result = JourneyReader.Read(json, Catalog);

        Assert.True(result.IsValid, Show(result.Problems));
        var stored = JsonSerializer.Serialize(result.Definition, JourneyReader.JsonOptions);
        Assert.Equal(stored, JsonSerializer.Serialize(JsonSerializer.Deserialize<JourneyDefinition>(stored, JourneyReader.JsonOptions), JourneyReader.JsonOptions));
    }

    [Fact]
    public void a_model_built_in_code_with_nulls_everywhere_gets_problems_not_exceptions()
    {
        var d = new JourneyDefinition
        {
            SchemaVersion = 1,
            Id = null!,
            Name = null!,
            Trigger = null!,
            Reentry = null!,
            Goals = [null!, new JourneyGoal { Id = null!, Event = null!, Condition = new Condition() }],
            Steps =
            [
                null!,
                new JourneyStep { Id = null!, Type = null! },
                new JourneyStep { Id = "b", Type = StepTypes.Branch, Branches = [null!, new BranchCase { Condition = null!, Next = null! }], Otherwise = "b" },
                new JourneyStep { Id = "s", Type = StepTypes.Split, Paths = [new SplitPath { Id = null!, Weight = 0, Next = null! }] },
                new JourneyStep { Id = "t", Type = StepTypes.UpdateProfile, AddTags = [null!], Next = "b" },
            ],
        };

        var problems = JourneyValidator.Validate(d, JourneyCatalog.Empty);

        Assert.Contains(problems, p => p.Path == "$.id");
        Assert.Contains(problems, p => p.Path == "$.trigger");
        Assert.Contains(problems, p => p.Path == "$.steps[0]");
        Assert.Contains(problems, p => p.Path == "$.steps[2].branches[1].condition");
        Assert.Contains(problems, p => p.Path == "$.steps[3].paths[0].weight");
        Assert.Contains(problems, p => p.Path == "$.steps[4].addTags[0]");
    }

    [Fact]
    public void a_typed_step_carrying_another_types_member_is_refused_like_an_unknown_field()
    {
        var d = Read(PostPurchase);
        var steps = d.Steps.ToList();
        steps[3] = steps[3] with { Timeout = "P1D" };

        var problem = Assert.Single(JourneyValidator.Validate(d with { Steps = steps }, Catalog));

        Assert.Equal("$.steps[3].timeout", problem.Path);
        Assert.StartsWith("unknown field 'timeout' for a wait step; a wait step has: id, type, duration, next", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void problems_stop_being_listed_after_a_thousand()
    {
        var steps = new JsonArray();
        for (var i = 0; i < 2000; i++) steps.Add(new JsonObject { ["id"] = $"s{i}", ["type"] = "sleep" });
        var json = With(d => d["steps"] = steps);

        var problems = Problems(json);

        Assert.Equal(1001, problems.Count);
        Assert.Contains("1000 more problems", problems[^1].Message, StringComparison.Ordinal);
    }

    private static JourneyDefinition Read(string json) => JourneyReader.Read(json, Catalog).Definition!;
}
