using Automation.Functions.Hosting;
using Automation.Functions.Storage;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Dev;

/// <summary>
/// Keeps the virtual clock's time across restarts (a row in the <c>timers</c> table), so stored
/// instances, already in the clock's future, do not find time turned back when the app restarts.
/// </summary>
internal sealed class VirtualClockStore(StorageClients clients, VirtualClock clock, IOptions<AutomationOptions> options, ILogger<VirtualClockStore> log) : IHostedService
{
    private const string Partition = "_clock", Row = "virtual";
    private readonly TableClient _table = clients.Table(StorageClients.TimersTable);

    public async Task SaveAsync(DateTimeOffset now, CancellationToken ct) =>
        await _table.UpsertEntityAsync(new TableEntity(Partition, Row) { ["Now"] = now }, TableUpdateMode.Replace, ct);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Clock != "Virtual") return;
        try
        {
            var saved = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
            if (saved.HasValue && saved.Value?.GetDateTimeOffset("Now") is { } now) clock.MoveTo(now);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException)
        {
            Log.StorageUnavailable(log, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
