using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Events;

namespace Automation.Core.Journeys.Definitions;

/// <summary>
/// Reads a journey definition (<c>journeys/*.json</c>, <c>PUT /api/journeys/{id}</c>) and reports
/// every problem at its JSON path. Phase 1 checks the JSON's shape (types, required and unknown
/// members, step types); only a well-shaped document is deserialized and handed to
/// <see cref="JourneyValidator"/> for phase 2. Never throws, whatever the input.
/// </summary>
public static class JourneyReader
{
    /// <summary>
    /// Deep enough for conditions nested to their limit (32 levels of <c>all</c> are 64 of JSON),
    /// so that the problem named is the condition's depth rather than the parser's.
    /// </summary>
    private const int MaxJsonDepth = 128;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxJsonDepth };

    /// <summary>
    /// <see cref="EventJson.Options"/> deep enough for any definition the reader accepts: store and
    /// load definitions with these (the default depth of 64 refuses conditions nested near their limit).
    /// </summary>
    public static readonly JsonSerializerOptions JsonOptions = new(EventJson.Options) { MaxDepth = MaxJsonDepth };

    public static JourneyReadResult Read(string json, JourneyCatalog catalog)
    {
        var text = json is ['\uFEFF', .. var rest] ? rest : json;
        if (string.IsNullOrWhiteSpace(text)) return Fail("the document is empty; write a journey object { \"schemaVersion\": 1, … }");

        JsonNode? node;
        try
        {
            // Repeated names and undecodable text are found on the document, where each has a
            // path; a JsonNode would only throw on them later.
            using (var document = JsonDocument.Parse(text, DocumentOptions))
            {
                var problems = new JourneyProblems();
                CheckText(document.RootElement, JourneyPath.Root, problems);
                if (problems.Count > 0) return new JourneyReadResult(null, problems.ToList());
            }

            node = JsonNode.Parse(text, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            return Fail(DescribeSyntaxError(ex));
        }

        return Read(node, catalog);
    }

    public static JourneyReadResult Read(JsonNode? node, JourneyCatalog catalog)
    {
        var problems = new JourneyProblems();
        new JourneyShape(problems).Document(node);
        if (problems.Count > 0) return new JourneyReadResult(null, problems.ToList());

        JourneyDefinition? definition;
        try
        {
            definition = node.Deserialize<JourneyDefinition>(JsonOptions);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            // Phase 1 should leave nothing for the serializer to refuse; if it does, still no exception.
            return Fail($"could not be read: {ex.Message}");
        }

        if (definition is null) return Fail("must be a journey object, not null");
        JourneyValidator.Validate(definition, catalog, problems);
        return new JourneyReadResult(definition, problems.ToList());
    }

    private static JourneyReadResult Fail(string message) => new(null, [new JourneyProblem(JourneyPath.Root, message)]);

    private static void CheckText(JsonElement value, string path, JourneyProblems problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    if (!JsonSyntax.TryGetName(property, out var name))
                    {
                        problems.Add(path, "has a member name that is not valid text (an unpaired surrogate escape)");
                        continue;
                    }

                    var at = JourneyPath.Property(path, name);
                    if (!names.Add(name)) problems.Add(at, "appears more than once; give each member once");
                    else CheckText(property.Value, at, problems);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray()) CheckText(item, JourneyPath.Index(path, index++), problems);
                break;
            case JsonValueKind.String:
                if (!TryString(value)) problems.Add(path, "is not valid text (an unpaired surrogate escape)");
                break;
        }
    }

    private static bool TryString(JsonElement value)
    {
        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string DescribeSyntaxError(JsonException ex)
    {
        var (reason, line, position) = JsonSyntax.Describe(ex);
        return reason.Contains("maximum configured depth", StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"nests lists and objects more than {MaxJsonDepth} deep (at line {line}, position {position})")
            : string.Create(CultureInfo.InvariantCulture, $"is not valid JSON at line {line}, position {position}: {reason}");
    }
}
