using System.Diagnostics;

namespace Automation.Bench;

/// <summary>
/// Storage operations counted during one phase, as <c>StorageOperationCounter</c> classes them, with
/// the client calls behind them by name and by name and table or queue (see <see cref="StorageCalls"/>).
/// </summary>
internal sealed record StorageOps(long TableReads, long TableWrites, long QueueOps, IReadOnlyDictionary<string, long> Calls, IReadOnlyDictionary<string, long> ByTarget)
{
    public long Count(string call) => Calls.GetValueOrDefault(call);

    /// <summary>Point reads of one row (the profile, an index row).</summary>
    public long PointReads => Count("TableClient.GetEntity") + Count("TableClient.GetEntityIfExists");

    /// <summary>Query pages: each is one request (timers due, outbox rows, the journeys table).</summary>
    public long Queries => Count("TableClient.Query");

    /// <summary>Entity group transactions.</summary>
    public long Transactions => Count("TableClient.SubmitTransaction");

    /// <summary>Writes of one row outside a transaction: upserts, updates, inserts and deletes.</summary>
    public long PointWrites => Count("TableClient.UpsertEntity") + Count("TableClient.UpdateEntity") + Count("TableClient.AddEntity") + Count("TableClient.DeleteEntity");

    public long AllTable => TableReads + TableWrites;
    public long All => TableReads + TableWrites + QueueOps;

    public long Requests(string callAndTarget) => ByTarget.GetValueOrDefault(callAndTarget);
}

/// <summary>Processor time used during a phase, in percent of one core: node runs Azurite on one thread.</summary>
internal sealed record CpuUse(double AzuritePercent, double BenchPercent);

internal sealed record WebhookResult(string Name, int Deliveries, TimeSpan Elapsed, double P50, double P95, double P99, double Max, StorageOps Storage, CpuUse Cpu);

internal sealed record DrainResult(string Name, int Events, TimeSpan Elapsed, StorageOps Storage, long Conflicts, CpuUse Cpu);

/// <summary>The two halves of ingestion, each timed on its own: webhook to queue, queue to profile.</summary>
internal sealed class IngestionPhases(BenchHost host, AzuriteProcess azurite, StorageCalls calls, LogCounter logs)
{
    private (TimeSpan Azurite, TimeSpan Bench) _cpuAtStart;

    /// <summary>POSTs every delivery with <paramref name="concurrency"/> requests in flight; each must get a 200.</summary>
    public Task<WebhookResult> PostAsync(string name, Delivery[] deliveries, int concurrency, CancellationToken ct) =>
        PostAsync(name, deliveries.Length, i => ShopifyDeliveries.Request(deliveries[i]), concurrency, ct);

    /// <summary>Sends <paramref name="count"/> requests with <paramref name="concurrency"/> in flight; each must get a 2xx.</summary>
    public async Task<WebhookResult> PostAsync(string name, int count, Func<int, HttpRequestMessage> request, int concurrency, CancellationToken ct)
    {
        Reset();
        var latencies = new double[count];
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                using var message = request(i);
                using var response = await host.Http.SendAsync(message, ct);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"Delivery {i} got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }
        });
        await Task.WhenAll(workers);
        clock.Stop();
        Array.Sort(latencies);
        return new WebhookResult(name, count, clock.Elapsed,
            Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99), latencies[^1], Storage(), Cpu(clock.Elapsed));
    }

    /// <summary>Drains the queue as the local consumer loop would; every queued event must be applied.</summary>
    public async Task<DrainResult> DrainAsync(string name, int expected, int parallelism, CancellationToken ct)
    {
        Reset();
        var clock = Stopwatch.StartNew();
        var handled = await host.Consumer.DrainAsync(ct, parallelism);
        clock.Stop();
        var failed = logs[LogCounter.MessageFailed] + logs[LogCounter.MessageParked];
        if (handled != expected || failed > 0)
            throw new InvalidOperationException($"{name}: drained {handled} of {expected} events; {failed} failed or parked.");
        return new DrainResult(name, handled, clock.Elapsed, Storage(), logs[LogCounter.Conflict], Cpu(clock.Elapsed));
    }

    public void Reset()
    {
        host.Counter.Reset();
        calls.Reset();
        logs.Reset();
        _cpuAtStart = (azurite.CpuTime(), BenchCpuTime());
    }

    public CpuUse Cpu(TimeSpan elapsed) => new(
        100 * (azurite.CpuTime() - _cpuAtStart.Azurite) / elapsed,
        100 * (BenchCpuTime() - _cpuAtStart.Bench) / elapsed);

    private static TimeSpan BenchCpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    public StorageOps Storage() =>
        new(host.Counter.TableReads, host.Counter.TableWrites, host.Counter.QueueOperations, calls.Snapshot(), calls.ByTarget());

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
