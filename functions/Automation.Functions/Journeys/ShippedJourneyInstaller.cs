using Automation.Core.Journeys.Definitions;
using Automation.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Journeys;

/// <summary>
/// At start-up, installs each shipped journey that does not exist yet as active version 1, so a
/// fresh install runs them. A journey that exists (perhaps edited by a marketer) is left alone.
/// </summary>
internal sealed class ShippedJourneyInstaller(JourneyStore store, IOptions<AutomationOptions> options, ILogger<ShippedJourneyInstaller> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.InstallShippedJourneys) return;
        try
        {
            foreach (var (file, json) in JourneyFiles.Shipped())
            {
                var read = JourneyReader.Read(json, store.Catalog);
                if (!read.IsValid)
                {
                    Log.JourneyFileInvalid(log, file, string.Join("; ", read.Problems.Select(p => $"{p.Path}: {p.Message}")));
                    continue;
                }
                if (await store.InstallAsync(read.Definition!, cancellationToken)) Log.JourneyInstalled(log, read.Definition!.Id);
            }
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            Log.StorageUnavailable(log, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
