using System.Text.Json.Nodes;
using Automation.Core.Journeys.Engine;
using Automation.Core.Journeys.Preview;

namespace Automation.Functions.Journeys;

/// <summary>
/// What a preview answers. Times are when the engine decided; <c>final</c> is the last run's state.
/// The timeline comes from the runs' histories, so it holds the last
/// <see cref="JourneyInstance.MaxHistory"/> steps of each run; emails, coupons and notifications are all listed.
/// <c>stopped</c> says why the preview ended before <c>until</c>, when it did.
/// </summary>
public sealed record PreviewView(
    string Journey, DateTimeOffset Start, DateTimeOffset Until, string? Stopped,
    IReadOnlyList<PreviewStep> Timeline, IReadOnlyList<PreviewEmail> Emails, IReadOnlyList<PreviewCoupon> Coupons,
    IReadOnlyList<PreviewNotification> Notifications, IReadOnlyList<PreviewWait> Waits, InstanceView? Final)
{
    public static PreviewView Of(JourneySimulator sim, PreviewRequest p, string? stopped)
    {
        var timeline = sim.Timeline.Select(t => new PreviewStep(t.At, t.Run, t.Step, t.Outcome, t.Detail)).ToList();
        return new PreviewView(
            p.Definition.Id, p.Start, p.Until, stopped, timeline,
            [.. sim.Emails.Select(a => new PreviewEmail(a.CreatedAt, a.Run, a.StepId, a.Template!, a.Category, a.Coupon))],
            [.. sim.Coupons.Select(a => new PreviewCoupon(a.CreatedAt, a.Run, a.StepId, a.Pool!, a.PercentOff, a.ExpiresAt))],
            [.. sim.Notifications.Select(a => new PreviewNotification(a.CreatedAt, a.Run, a.StepId, a.Webhook!, a.Body))],
            WaitsIn(timeline),
            sim.States.Instances.TryGetValue(p.Definition.Id, out var last) ? InstanceView.Of(last) : null);
    }

    /// <summary>
    /// Each <c>waiting</c> step, until the next entry of its run about the same step (woke, received,
    /// timedOut, or the goal or exit that ended the run there), or still open at <c>until</c>.
    /// Entries about other steps in between (an email's result arriving) do not end it.
    /// </summary>
    private static List<PreviewWait> WaitsIn(List<PreviewStep> timeline) =>
        [.. timeline.GroupBy(t => t.Run).SelectMany(run =>
        {
            var steps = run.ToList();
            return steps.Select((s, i) => (s, i)).Where(x => x.s.Outcome == "waiting").Select(x =>
            {
                var end = steps.Skip(x.i + 1).FirstOrDefault(s => s.Step == x.s.Step);
                return new PreviewWait(x.s.Run, x.s.Step, x.s.At, end?.At, end?.Outcome, x.s.Detail);
            });
        }).OrderBy(w => w.From)];
}

public sealed record PreviewStep(DateTimeOffset At, int Run, string Step, string Outcome, string? Detail);

public sealed record PreviewEmail(DateTimeOffset At, int Run, string Step, string Template, string? Category, IssuedCoupon? Coupon);

public sealed record PreviewCoupon(DateTimeOffset At, int Run, string Step, string Pool, decimal? PercentOff, DateTimeOffset? ExpiresAt);

public sealed record PreviewNotification(DateTimeOffset At, int Run, string Step, string Webhook, JsonObject? Body);

/// <param name="To">When the wait ended; null when it still runs at <c>until</c>.</param>
/// <param name="EndedBy">The outcome that ended it: <c>woke</c>, <c>received</c>, <c>timedOut</c>, …</param>
/// <param name="Detail">What it waited for, in the engine's words (<c>until 2026-01-13 10:00 Europe/Madrid</c>).</param>
public sealed record PreviewWait(int Run, string Step, DateTimeOffset From, DateTimeOffset? To, string? EndedBy, string? Detail);
