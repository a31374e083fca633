using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;

namespace Automation.Core.Tests.Journeys.Scenarios;

/// <summary>
/// The repo's own <c>journeys/*.json</c>, <c>journeys/catalog.json</c> and <c>templates/</c>, read
/// straight from the checkout so the scenarios test exactly what ships.
/// </summary>
internal static class ShippedJourneys
{
    public const string FirstOrder = "first-order-follow-up";
    public const string Dormancy = "dormancy-win-back";
    public const string Survey = "post-complaint-survey";

    private static readonly ConcurrentDictionary<string, JourneyDefinition> Definitions = new(StringComparer.Ordinal);
    private static readonly Lazy<string> Root = new(FindRoot);
    private static readonly Lazy<CatalogDocument> CatalogFile = new(() =>
        JsonSerializer.Deserialize<CatalogDocument>(File.ReadAllText(Path.Combine(JourneysDirectory, "catalog.json")), EventJson.Options)
        ?? throw new InvalidOperationException("journeys/catalog.json is JSON null"));

    public static string JourneysDirectory => Path.Combine(Root.Value, "journeys");
    public static string TemplatesDirectory => Path.Combine(Root.Value, "templates");

    /// <summary>Every shipped journey id: the files of <c>journeys/</c> but the catalog and schemas.</summary>
    public static IReadOnlyList<string> Ids =>
    [
        .. Directory.EnumerateFiles(JourneysDirectory, "*.json")
            .Select(Path.GetFileName).OfType<string>()
            .Where(f => f != "catalog.json" && !f.EndsWith(".schema.json", StringComparison.Ordinal))
            .Select(f => f[..^".json".Length])
            .Order(StringComparer.Ordinal),
    ];

    public static CatalogDocument CatalogDocument => CatalogFile.Value;

    public static JourneyCatalog Catalog => new(
        Directory.Exists(TemplatesDirectory)
            ? Directory.EnumerateDirectories(TemplatesDirectory).Select(Path.GetFileName).OfType<string>().Where(n => n != "_layout").ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal),
        CatalogDocument.CouponPools,
        CatalogDocument.Webhooks);

    public static JourneyDefinition Load(string id) => Definitions.GetOrAdd(id, static id =>
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(JourneysDirectory, id + ".json")))!.AsObject();
        json.Remove("$schema"); // editor metadata, not part of the model
        return json.Deserialize<JourneyDefinition>(EventJson.Options) ?? throw new InvalidOperationException($"journeys/{id}.json is JSON null");
    });

    public static JourneyLibrary Library(params string[] ids) =>
        new([.. (ids.Length == 0 ? Ids : ids).Select(id => PublishedJourney.Single(Load(id)))], Catalog);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "journeys", "catalog.json")) && File.Exists(Path.Combine(dir.FullName, "global.json")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no repository root with journeys/catalog.json above {AppContext.BaseDirectory}");
    }
}
