using Automation.Core.Holidays;
using Automation.Functions.Journeys;

namespace Automation.Functions.Holidays;

/// <summary>
/// The shipped calendars (<c>journeys/calendars/holidays.json</c>, copied beside the app), by market code. Kept in a
/// folder of its own so the journey loader, which reads <c>journeys/*.json</c>, never takes it for a journey.
/// </summary>
public sealed class HolidayDefaults
{
    private readonly Dictionary<string, (MarketCalendar Calendar, string Json)> _markets;

    public HolidayDefaults(IReadOnlyDictionary<string, MarketCalendar> markets) =>
        _markets = markets.ToDictionary(m => m.Key, m => (m.Value, CalendarJson.Write(m.Value)), StringComparer.Ordinal);

    public static string FilePath => Path.Combine(JourneyFiles.JourneysDirectory, "calendars", "holidays.json");

    public IReadOnlyCollection<string> Markets => _markets.Keys;

    /// <summary>The market's shipped calendar and its document, or null when none ships.</summary>
    public (MarketCalendar Calendar, string Json)? For(string market) => _markets.TryGetValue(market, out var shipped) ? shipped : null;

    /// <summary>Reads the shipped file; a missing or invalid one stops the app, naming every problem.</summary>
    public static HolidayDefaults Load()
    {
        if (!File.Exists(FilePath)) throw new InvalidOperationException($"journeys/calendars/holidays.json is missing (looked for {FilePath}).");
        var read = CalendarReader.ReadShipped(File.ReadAllText(FilePath));
        if (!read.IsValid) throw new InvalidOperationException("journeys/calendars/holidays.json: " + string.Join("; ", read.Problems));
        return new HolidayDefaults(read.Markets);
    }
}

/// <summary>Resolves the shipped calendars at start-up, so a broken file stops the app there and not at the first request.</summary>
internal sealed class HolidayDefaultsCheck(IServiceProvider services, ILogger<HolidayDefaultsCheck> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _ = services.GetRequiredService<HolidayDefaults>();
            return Task.CompletedTask;
        }
        catch (InvalidOperationException ex)
        {
            Log.HolidayDefaultsInvalid(log, ex.Message);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
