using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Automation.Core.Events;
using Automation.Core.Journeys.Conditions;
using Automation.Core.Journeys.Definitions;

namespace Automation.Core.Tests.Journeys.Definitions;

/// <summary>
/// A cheap guard against drift between journeys/journey.schema.json (for editors) and the model
/// and rules the reader enforces: a member, step type, holiday or operator added on one side only
/// fails here.
/// </summary>
public sealed class JourneySchemaTests
{
    private static readonly Type[] ModelTypes =
    [
        typeof(JourneyDefinition), typeof(JourneyTrigger), typeof(JourneySchedule), typeof(Reentry), typeof(JourneyGoal),
        typeof(JourneyStep), typeof(BranchCase), typeof(SplitPath), typeof(SplitHoldout), typeof(Condition),
    ];

    private static readonly Lazy<JsonObject> Schema = new(() =>
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "journeys", "journey.schema.json"));
        return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false })!.AsObject();
    });

    private static JsonObject Defs => Schema.Value["$defs"]!.AsObject();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Automation.sln"))) return dir.FullName;
        throw new InvalidOperationException("Automation.sln not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> JsonNames(Type type) =>
        type.GetProperties().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name).OfType<string>();

    private static IEnumerable<string> Strings(JsonNode? list) => list!.AsArray().Select(x => x!.GetValue<string>());

    /// <summary>Every name declared under any "properties" in the schema.</summary>
    private static HashSet<string> DeclaredMembers(JsonNode? node, HashSet<string>? names = null)
    {
        names ??= new HashSet<string>(StringComparer.Ordinal);
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "properties" && value is JsonObject properties)
                        foreach (var (name, _) in properties) names.Add(name);
                    DeclaredMembers(value, names);
                }

                break;
            case JsonArray a:
                foreach (var item in a) DeclaredMembers(item, names);
                break;
        }

        return names;
    }

    [Fact]
    public void the_schema_is_json_draft_2020_12_with_an_id()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema.Value["$schema"]!.GetValue<string>());
        Assert.StartsWith("https://", Schema.Value["$id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(Schema.Value["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public void every_step_type_appears_in_the_schema_with_its_own_definition()
    {
        Assert.Equal(StepTypes.All, Strings(Defs["step"]!["properties"]!["type"]!["enum"]));
        foreach (var type in StepTypes.All)
        {
            Assert.True(Defs.ContainsKey(type + "Step"), $"no $defs.{type}Step");
            Assert.Equal(type, Defs[type + "Step"]!["properties"]!["type"]!["const"]!.GetValue<string>());
        }
    }

    [Fact]
    public void every_model_member_appears_in_the_schema()
    {
        var declared = DeclaredMembers(Schema.Value);

        foreach (var type in ModelTypes)
            foreach (var name in JsonNames(type))
                Assert.True(declared.Contains(name), $"{type.Name}'s member '{name}' is not in journey.schema.json");
    }

    [Fact]
    public void each_step_types_members_in_the_schema_are_those_the_reader_allows_and_requires()
    {
        foreach (var (type, shape) in StepShapes.ByType)
        {
            var definition = Defs[type + "Step"]!;
            Assert.Equal(shape.Members.Order(), definition["properties"]!.AsObject().Select(p => p.Key).Order());
            Assert.Equal(shape.Required.Prepend("type").Prepend("id").Order(), Strings(definition["required"]).Order());
            Assert.False(definition["additionalProperties"]!.GetValue<bool>());
        }
    }

    [Fact]
    public void the_readers_step_member_table_covers_the_model()
    {
        Assert.Equal(JsonNames(typeof(JourneyStep)).Order(), StepShapes.AllMembers.Order());
        Assert.Equal(StepShapes.AllMembers.Order(), StepShapes.ByType.Values.SelectMany(s => s.Members).Distinct().Order());
    }

    [Fact]
    public void the_schemas_lists_match_the_code()
    {
        Assert.Equal(global::Automation.Core.Journeys.Calendar.Holidays.Names.Union(global::Automation.Core.Holidays.ShippedHolidays.Ids).Order(), Strings(Defs["holiday"]!["enum"]).Order());
        Assert.Equal(ConditionOps.All.Order(), Strings(Defs["condition"]!["properties"]!["op"]!["enum"]).Order());
        Assert.Equal(ConditionContext.KnownFields.Order(), Strings(Defs["condition"]!["properties"]!["field"]!["anyOf"]![0]!["enum"]).Order());
        Assert.Equal(EventTypes.Internal.Order(), Strings(Defs["eventName"]!["not"]!["enum"]).Order());
        Assert.Equal(
            [Reentry.IgnoreMode, Reentry.RestartMode, Reentry.OnceMode, Reentry.AfterMode],
            Strings(Defs["reentry"]!["properties"]!["mode"]!["enum"]));
        Assert.Equal([StepTypes.Marketing, StepTypes.Service], Strings(Defs["sendEmailStep"]!["properties"]!["category"]!["enum"]));
        Assert.Equal([StepTypes.AtMostOnce, StepTypes.AtLeastOnce], Strings(Defs["sendEmailStep"]!["properties"]!["delivery"]!["enum"]));
        Assert.Equal([StepTypes.Defer, StepTypes.Skip], Strings(Defs["sendEmailStep"]!["properties"]!["whenCapped"]!["enum"]));
        Assert.Equal(0, Schema.Value["properties"]!["priority"]!["minimum"]!.GetValue<int>());
        Assert.Equal(JourneyDefinition.MaxPriority, Schema.Value["properties"]!["priority"]!["maximum"]!.GetValue<int>());
        Assert.Equal(JourneyDefinition.DefaultPriority, Schema.Value["properties"]!["priority"]!["default"]!.GetValue<int>());
    }
}
