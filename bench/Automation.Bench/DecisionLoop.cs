using System.Diagnostics;

namespace Automation.Bench;

internal sealed record DecisionResult(string Case, long Decisions, TimeSpan Elapsed, double BytesPerDecision)
{
    public double PerSecond => Decisions / Elapsed.TotalSeconds;
    public double MicrosecondsEach => Elapsed.TotalMicroseconds / Decisions;
}

/// <summary>
/// Times one pure decision on one thread: a Stopwatch loop after a 0.5 s warm-up (BenchmarkDotNet
/// would need a new central package version), allocations from
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>.
/// </summary>
internal static class DecisionLoop
{
    private const int Chunk = 1000;

    /// <param name="decide">One decision on fixed input; false when it decided something other than expected.</param>
    public static DecisionResult Measure(string name, Func<bool> decide, TimeSpan duration, CancellationToken ct)
    {
        if (!decide()) throw new InvalidOperationException($"{name}: the decision is not the one the bench expects.");
        RunFor(name, TimeSpan.FromMilliseconds(500), decide, ct); // warm-up: tiered JIT settles
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var (decisions, elapsed) = RunFor(name, duration, decide, ct);
        bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
        return new DecisionResult(name, decisions, elapsed, (double)bytes / decisions);
    }

    private static (long Decisions, TimeSpan Elapsed) RunFor(string name, TimeSpan duration, Func<bool> decide, CancellationToken ct)
    {
        var decisions = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            ct.ThrowIfCancellationRequested();
            for (var i = 0; i < Chunk; i++)
            {
                // Checking the result keeps the call from being optimised away and proves it decided.
                if (!decide()) throw new InvalidOperationException($"{name}: decided differently on the same input.");
            }
            decisions += Chunk;
        }
        return (decisions, clock.Elapsed);
    }
}
