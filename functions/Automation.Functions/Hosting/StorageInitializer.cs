using Automation.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Hosting;

/// <summary>Creates the tables and the local queue at start-up, so no request pays for it.</summary>
internal sealed class StorageInitializer(StorageClients clients, IOptions<AutomationOptions> options, ILogger<StorageInitializer> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var queues = options.Value.QueueKind == "StorageQueue" ? new[] { options.Value.EventsQueueName } : [];
        try
        {
            await clients.EnsureCreatedAsync(queues, cancellationToken);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            // Start anyway: /api/health reports storage as unreachable until it answers.
            Log.StorageUnavailable(log, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
