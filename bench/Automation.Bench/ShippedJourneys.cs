using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Journeys;

namespace Automation.Bench;

/// <summary>
/// The shipped journeys (<c>journeys/*.json</c>) read and validated as the app reads them at start,
/// with the catalog built from <c>templates/</c> and <c>journeys/catalog.json</c> of the repo.
/// </summary>
internal static class ShippedJourneys
{
    /// <summary>Points the app's <see cref="JourneyFiles"/> at the repo, so the bench and the app it hosts read the same files.</summary>
    public static void UseRepo(string repoRoot) => JourneyFiles.Root = repoRoot;

    public static JourneyLibrary Library()
    {
        var catalog = JourneyFiles.LoadCatalog();
        var definitions = new List<JourneyDefinition>();
        foreach (var (file, json) in JourneyFiles.Shipped())
        {
            var read = JourneyReader.Read(json, catalog);
            if (!read.IsValid)
                throw new InvalidOperationException($"journeys/{file} is not valid here (are the templates in {JourneyFiles.TemplatesDirectory}?): " +
                    string.Join("; ", read.Problems.Select(p => $"{p.Path}: {p.Message}")));
            definitions.Add(read.Definition!);
        }
        if (definitions.Count == 0) throw new InvalidOperationException($"No journeys in {JourneyFiles.JourneysDirectory}.");
        return new JourneyLibrary(definitions.Select(d => PublishedJourney.Single(d)), catalog);
    }
}
