using Automation.Core.Journeys.Engine;
using Automation.Functions.Hosting;
using Automation.Functions.Journeys.Outbox;
using Automation.Functions.Queues;
using Automation.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Journeys;

/// <summary>
/// Turns due timers into work: a wake-up event on the events queue for each journey timer (the
/// consumer applies it like any event: exactly once, and to no effect if the instance has moved
/// on), a dispatch of the customer's leftover outbox for each outbox check, and a clean-up of a
/// customer's processed-event markers older than <see cref="MarkerRetention"/>. Each row is
/// deleted only after its work is queued or done, so a crash repeats it rather than losing it.
/// Called by the local loop and, in Azure, by the minute <c>timerTrigger</c>.
/// </summary>
public sealed class TimerSweeper(TimerTable timers, CustomerTable customers, IEventQueue queue, OutboxDispatcher outbox, TimeProvider time, ILogger<TimerSweeper> log)
{
    /// <summary>
    /// How long processed-event markers are kept: far past every redelivery window (Shopify retries
    /// for 4 hours, the local queue backs off for minutes, Service Bus detects duplicates for up to 7 days).
    /// </summary>
    public static readonly TimeSpan MarkerRetention = TimeSpan.FromDays(8);

    private const int PageSize = 500;

    /// <summary>Outbox checks and clean-ups carried out at the same time (each is a few storage calls, an email at most).</summary>
    private const int Parallelism = 8;

    /// <summary>When a check that failed is tried again.</summary>
    public static readonly TimeSpan RetryFailedAfter = TimeSpan.FromMinutes(5);

    /// <returns>Timers handled.</returns>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var handled = 0;
        while (!ct.IsCancellationRequested)
        {
            var due = await timers.DueAsync(now, PageSize, ct);
            if (due.Count == 0) break;
            var wakeUps = due.Where(t => t.Kind == TimerTable.Wake).ToList();
            if (wakeUps.Count > 0)
                await queue.PublishAsync([.. wakeUps.Select(t => EngineEvents.WakeUp(t.StoreId, t.CustomerKey, t.JourneyId, t.Token, t.DueAt, now))], ct);
            // Each customer's outbox and clean-up on its own: one that keeps failing is tried again later and
            // never holds back the timers behind it (they would otherwise be read first, minute after minute).
            var checks = due.Where(t => t.Kind == TimerTable.Outbox).DistinctBy(t => (t.StoreId, t.CustomerKey))
                .Concat(due.Where(t => t.Kind == TimerTable.Housekeep));
            await Parallel.ForEachAsync(checks, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (timer, token) =>
            {
                try
                {
                    if (timer.Kind == TimerTable.Outbox)
                        await outbox.DispatchPendingAsync(timer.StoreId, timer.CustomerKey, token);
                    else
                        await customers.DeleteMarkersAsync(Core.Customers.CustomerKey.Partition(timer.StoreId, timer.CustomerKey), now - MarkerRetention, token);
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    Log.TimerFailed(log, ex, timer.Kind, timer.StoreId, RetryFailedAfter);
                    if (timer.Kind == TimerTable.Outbox)
                        await timers.ArmOutboxCheckAsync(timer.StoreId, timer.CustomerKey, timer.Token, now + RetryFailedAfter, token);
                    else
                        await timers.ArmHousekeepingAsync(timer.StoreId, timer.CustomerKey, now + RetryFailedAfter, token);
                }
            });
            await timers.DeleteAsync(due, ct);
            handled += due.Count;
            if (due.Count < PageSize) break;
        }
        if (handled > 0) Log.TimersSwept(log, handled, now);
        return handled;
    }
}

/// <summary>
/// Runs <see cref="TimerSweeper"/>, the broadcast planner and the broadcast sender every few seconds when the app runs on its own. The pause is a
/// polling interval on the wall clock, not business time, so it takes no TimeProvider.
/// </summary>
internal sealed class LocalSweeperLoop(TimerSweeper sweeper, Broadcasts.BroadcastPlanner planner, Broadcasts.BroadcastSender broadcasts,
    IOptions<AutomationOptions> options, ILogger<LocalSweeperLoop> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunLocalSweeper) return;
        var interval = TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await sweeper.SweepAsync(stoppingToken);
                // What the PlanBroadcasts and SendBroadcasts timers do in Azure; planning again finds its plans made and stops there.
                await planner.PlanDueAsync(stoppingToken);
                await broadcasts.SweepAsync(stoppingToken);
                await Task.Delay(interval, TimeProvider.System, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.SweepFailed(log, ex);
                await Task.Delay(interval, TimeProvider.System, stoppingToken);
            }
        }
    }
}
