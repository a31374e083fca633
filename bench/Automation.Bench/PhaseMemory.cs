namespace Automation.Bench;

/// <summary>Memory during one phase.</summary>
/// <param name="BenchPeak">Peak resident set of the bench process (the app, Kestrel, the SendGrid listener, the generator).</param>
/// <param name="AzuritePeak">Peak resident set of Azurite's node process.</param>
/// <param name="ManagedPeak">Largest managed heap seen (<see cref="GC.GetTotalMemory"/>, sampled).</param>
/// <param name="Allocated">Bytes the bench process allocated during the phase, all threads.</param>
/// <param name="Collections">Garbage collections during the phase, generations 0, 1 and 2.</param>
internal sealed record MemoryPeaks(long BenchPeak, long? AzuritePeak, long ManagedPeak, long Allocated, (int Gen0, int Gen1, int Gen2) Collections,
    long BenchAtEnd, long? AzuriteAtEnd);

/// <summary>
/// Peaks of both processes during one phase: Linux's own peak (<c>VmHWM</c>), reset at the start through
/// <c>/proc/{pid}/clear_refs</c>, and the resident sets sampled every 100 ms, in case the reset is not allowed; the
/// larger is kept. The bench's figure is its whole process: the app and the generator share it.
/// </summary>
internal sealed class PhaseMemory
{
    private readonly AzuriteProcess _azurite;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private readonly long _allocatedAtStart = GC.GetTotalAllocatedBytes(precise: false);
    private readonly (int, int, int) _collectionsAtStart = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    private long _bench, _azuriteSampled, _managed;

    private PhaseMemory(AzuriteProcess azurite)
    {
        _azurite = azurite;
        ProcStatus.ResetPeak(Environment.ProcessId);
        azurite.ResetPeak();
        _sampler = SampleAsync(_stop.Token);
    }

    public static PhaseMemory Start(AzuriteProcess azurite) => new(azurite);

    public async Task<MemoryPeaks> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        Sample();
        var (g0, g1, g2) = _collectionsAtStart;
        var bench = Math.Max(_bench, ProcStatus.Read(Environment.ProcessId, "VmHWM:") ?? 0);
        var azurite = _azurite.PeakResidentBytes() is { } hwm ? Math.Max(hwm, _azuriteSampled) : (long?)null;
        return new MemoryPeaks(bench, azurite, _managed, GC.GetTotalAllocatedBytes(precise: false) - _allocatedAtStart,
            (GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2),
            Environment.WorkingSet, _azurite.ResidentBytes());
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) Sample();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void Sample()
    {
        _bench = Math.Max(_bench, Environment.WorkingSet);
        _azuriteSampled = Math.Max(_azuriteSampled, _azurite.ResidentBytes() ?? 0);
        _managed = Math.Max(_managed, GC.GetTotalMemory(forceFullCollection: false));
    }
}
