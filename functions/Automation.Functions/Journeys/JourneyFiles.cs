using System.Text.Json;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;

namespace Automation.Functions.Journeys;

/// <summary>
/// The shipped files beside the app (copied from the repo's <c>journeys/</c> and <c>templates/</c>
/// at build): the catalog journeys may name, and the shipped journey definitions.
/// </summary>
public static class JourneyFiles
{
    public static string Root { get; set; } = AppContext.BaseDirectory;

    public static string JourneysDirectory => Path.Combine(Root, "journeys");
    public static string TemplatesDirectory => Path.Combine(Root, "templates");

    /// <summary>Templates are the directories of <c>templates/</c> (<c>templates/{name}/{locale}.hbs</c>; <c>_layout</c> is not one);
    /// pools and webhooks come from <c>journeys/catalog.json</c>.</summary>
    public static JourneyCatalog LoadCatalog()
    {
        var templates = Email.EmailTemplates.NamesIn(TemplatesDirectory);
        var catalogFile = Path.Combine(JourneysDirectory, "catalog.json");
        var document = File.Exists(catalogFile)
            ? JsonSerializer.Deserialize<CatalogDocument>(File.ReadAllText(catalogFile), CatalogJson) ?? new CatalogDocument()
            : new CatalogDocument();
        return new JourneyCatalog(templates, document.CouponPools, document.Webhooks);
    }

    /// <summary>The shipped journey definitions: every <c>journeys/*.json</c> but the catalog and the schema.</summary>
    public static IEnumerable<(string File, string Json)> Shipped() =>
        Directory.Exists(JourneysDirectory)
            ? Directory.EnumerateFiles(JourneysDirectory, "*.json")
                .Where(f => Path.GetFileName(f) is not "catalog.json" && !f.EndsWith(".schema.json", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .Select(f => (Path.GetFileName(f), File.ReadAllText(f)))
            : [];

    private static readonly JsonSerializerOptions CatalogJson = new(EventJson.Options) { ReadCommentHandling = JsonCommentHandling.Skip };
}
