using Automation.Functions.Queues;
using Automation.Functions.Storage;

namespace Automation.Functions.Health;

/// <summary><c>GET /api/health</c>: 200 when storage and the queue answer, 503 naming what does not.</summary>
public static class HealthEndpoint
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public static async Task<IResult> HandleAsync(StorageClients storage, IEventQueue queue, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Budget);
        var storageTask = CheckStorageAsync(storage, timeout.Token);
        var queueTask = SafeAsync(() => queue.CheckAsync(timeout.Token));
        var problems = new Dictionary<string, string>();
        if (await storageTask is { } s) problems["storage"] = s;
        if (await queueTask is { } q) problems["queue"] = q;
        return problems.Count == 0
            ? Results.Ok(new { status = "healthy", storage = "ok", queue = "ok" })
            : Results.Json(new { status = "unhealthy", problems }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static Task<string?> CheckStorageAsync(StorageClients storage, CancellationToken ct) => SafeAsync(async () =>
    {
        await storage.Table(StorageClients.CustomersTable).GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "probe", ["RowKey"], ct);
        return null;
    });

    private static async Task<string?> SafeAsync(Func<Task<string?>> check)
    {
        try
        {
            return await check();
        }
        catch (OperationCanceledException)
        {
            return $"no answer within {Budget.TotalSeconds:0} seconds";
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException or InvalidOperationException)
        {
            return ex.Message.Split('\n')[0];
        }
    }
}
