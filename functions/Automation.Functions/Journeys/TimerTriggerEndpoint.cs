namespace Automation.Functions.Journeys;

/// <summary>
/// The Functions host's minute <c>timerTrigger</c> (function <c>SweepTimers</c>) arrives at a custom
/// handler as <c>POST /SweepTimers</c> with an invocation payload; it calls the same sweeper as
/// the local loop and answers in the custom-handler response shape.
/// </summary>
public static class TimerTriggerEndpoint
{
    public const string FunctionName = "SweepTimers";

    public static async Task<IResult> HandleAsync(TimerSweeper sweeper, CancellationToken ct)
    {
        var swept = await sweeper.SweepAsync(ct);
        return Hosting.HostAnswer.With(StatusCodes.Status200OK, $"swept {swept} timer(s)");
    }
}
