using System.Text.Json.Nodes;
using Automation.Core.Journeys.Definitions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Automation.Core.Tests.Journeys.Definitions.JourneyExamples;

namespace Automation.Core.Tests.Journeys.Definitions;

/// <summary>
/// Whatever a marketer, an editor or an attacker sends, the reader answers with problems and never
/// throws; the text and node entry points agree; a document it accepts, the typed validator accepts.
/// </summary>
public sealed class JourneyReaderProperties
{
    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", ",", ":", " ", "\n", "\"", "\\", "\"steps\"", "\"type\"", "\"wait\"", "\"id\"", "\"next\"", "\"condition\"",
        "\"all\"", "\"not\"", "\"field\"", "\"value\"", "\"P1D\"", "\"-P0D\"", "\"\\uD800\"", "\"a\"", "1", "-1", "1.5", "1e400",
        "99999999999999999999", "null", "true", "false", "\"schemaVersion\"", "\"trigger\"", "\"event\"", "\"order.placed\"",
    ];

    private static readonly string[] Names =
        ["id", "type", "next", "durration", "timeout", "$schema", "x", "steps", "condition", "all", "not", "value", "op", "field", "paths", "holdout", "weird name"];

    private static readonly string[] Replacements =
    [
        "null", "0", "-1", "1.5", "1e400", "99999999999", "\"\"", "\"x\"", "\"P0D\"", "\"-P1D\"", "\"P1M\"", "\"wait\"", "\"exit\"",
        "\"done\"", "\"order.placed\"", "\"coupon.issued\"", "true", "false", "[]", "{}", "[\"a\"]", "{\"field\":\"x\"}",
        "{\"all\":[]}", "{\"not\":{\"not\":{}}}", "[[[[[[[[[[1]]]]]]]]]]", "{\"id\":\"s\",\"type\":\"exit\"}",
        "{\"id\":\"w\",\"type\":\"wait\",\"duration\":\"P1D\",\"next\":\"w\"}", "{\"id\":\"b\",\"type\":\"branch\",\"branches\":[],\"otherwise\":\"b\"}",
    ];

    [Property(MaxTest = 300)]
    public void any_text_reads_without_throwing(string? text) =>
        Assert.NotNull(JourneyReader.Read(text ?? "", Catalog).Problems);

    [Property(MaxTest = 500)]
    public Property json_like_text_reads_without_throwing() =>
        Prop.ForAll(Gen.Elements(Tokens).ListOf().Select(string.Concat).ToArbitrary(), text =>
        {
            var result = JourneyReader.Read(text, Catalog);
            return result.IsValid || result.Problems.Count > 0;
        });

    [Property(MaxTest = 1000)]
    public Property mutated_documents_read_without_throwing_and_the_entry_points_agree() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var document = Mutate(Document(), new Random(seed));
            var fromNode = JourneyReader.Read(document, Catalog);
            var fromText = JourneyReader.Read(document.ToJsonString(), Catalog);

            Assert.Equal(fromNode.Problems, fromText.Problems);
            Assert.All(fromNode.Problems, p => Assert.StartsWith("$", p.Path, StringComparison.Ordinal));
            Assert.All(fromNode.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
            if (fromNode.IsValid) Assert.Empty(JourneyValidator.Validate(fromNode.Definition!, Catalog));
            return true;
        });

    private static JsonObject Mutate(JsonObject document, Random random)
    {
        for (var n = random.Next(1, 5); n > 0; n--)
        {
            var places = new List<(JsonNode Parent, string? Name, int Index)>();
            Collect(document, places);
            if (places.Count == 0) break;
            var (parent, name, index) = places[random.Next(places.Count)];
            var replacement = JsonNode.Parse(Replacements[random.Next(Replacements.Length)]);
            switch (random.Next(4), parent)
            {
                case (0, JsonObject o): o[name!] = replacement; break;
                case (0, JsonArray a): a[index] = replacement; break;
                case (1, JsonObject o): o.Remove(name!); break;
                case (1, JsonArray a): a.RemoveAt(index); break;
                case (2, JsonObject o):
                    var newName = Names[random.Next(Names.Length)];
                    if (o.ContainsKey(newName)) break;
                    var value = o[name!];
                    o.Remove(name!);
                    o[newName] = value;
                    break;
                case (_, JsonArray a): a.Add(a[index]?.DeepClone()); break;
                case (_, JsonObject o): o[name!] = JsonValue.Create(Targets[random.Next(Targets.Length)]); break;
            }
        }

        return document;
    }

    private static readonly string[] Targets = ["done", "settle-in", "tag-done", "alert-support", "nowhere", "wait-for-delivery"];

    private static void Collect(JsonNode node, List<(JsonNode, string?, int)> places)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    places.Add((o, name, -1));
                    if (value is not null) Collect(value, places);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    places.Add((a, null, i));
                    if (a[i] is { } item) Collect(item, places);
                }

                break;
        }
    }
}
