namespace Automation.Functions.Dev;

/// <summary>
/// The clock of <c>Automation__Clock=Virtual</c>: the system's time plus an offset that
/// <c>POST /api/dev/clock</c> moves forward, so a journey's weeks pass in seconds when trying it
/// locally. It never goes backwards. Timers and delays still run on real time.
/// </summary>
public sealed class VirtualClock(TimeProvider system) : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => system.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock forward to <paramref name="at"/> (no-op if it is already past it).</summary>
    public void MoveTo(DateTimeOffset at)
    {
        var delta = (at - GetUtcNow()).Ticks;
        if (delta > 0) Interlocked.Add(ref _offsetTicks, delta);
    }
}
