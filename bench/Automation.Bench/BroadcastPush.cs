namespace Automation.Bench;

/// <summary>What the push hands the measured section: the seeded app and store, and how wide it may go.</summary>
/// <param name="SeededAt">The app's (virtual) clock when the customers were generated; their tiers hold for <see cref="BenchCustomers.TiersHoldFor"/> after it.</param>
/// <param name="Parallelism">The bench's <c>--parallelism</c>: shards, batches or messages in flight, as the push sees fit.</param>
internal sealed record BroadcastContext(BenchHost Host, string StoreId, string Template, DateTimeOffset SeededAt, int Parallelism);

/// <summary>What the push says it did. The bench counts SendGrid requests, recipients and storage operations itself;
/// these say what those are per.</summary>
/// <param name="AudienceEntered">Audience rows the planner chose (before the per-recipient policy).</param>
/// <param name="Sent">Recipients SendGrid accepted.</param>
/// <param name="Refused">Recipients the send policy refused (suppressed, opted out, capped, …).</param>
/// <param name="Failed">Recipients the sender failed or handed back.</param>
/// <param name="Refusals">Refused recipients by reason, if the push counts them.</param>
internal sealed record PushOutcome(long AudienceEntered, long Sent, long Refused, long Failed, IReadOnlyDictionary<string, long>? Refusals = null)
{
    public static readonly PushOutcome Nothing = new(0, 0, 0, 0);
}

/// <summary>The one holiday push the broadcast bench measures, end to end: the only place the broadcast plugs in.</summary>
internal static class BroadcastPush
{
    /// <summary>
    /// The push, as the measured section runs it: everything between "the store is seeded" and "every recipient has
    /// had their email or their refusal recorded" belongs inside, and nothing else does. The app runs with
    /// <c>RunLocalConsumer=false</c> and <c>RunLocalSweeper=false</c>: if the broadcast arms timers or queues
    /// messages, sweep and drain them here (<see cref="Automation.Functions.Journeys.TimerSweeper.SweepAsync"/>,
    /// <c>context.Host.Consumer.DrainAsync(ct, context.Parallelism)</c>, as <see cref="JourneyPhases.WakeAsync"/> does),
    /// moving the app's clock (<c>context.Host.Get&lt;VirtualClock&gt;().MoveTo</c>) through the sends' local 10:00s.
    /// </summary>
    public static Func<CancellationToken, Task<PushOutcome>> Create(BroadcastContext context) => async ct =>
    {
        var clock = context.Host.Get<Automation.Functions.Dev.VirtualClock>();
        var planner = context.Host.Get<Automation.Functions.Broadcasts.BroadcastPlanner>();
        var sender = context.Host.Get<Automation.Functions.Broadcasts.BroadcastSender>();
        var table = context.Host.Get<Automation.Functions.Broadcasts.BroadcastTable>();
        // What the hourly PlanBroadcasts timer does: the occasion due to be planned, from the audience index.
        var plan = (await planner.PlanDueAsync(ct, context.StoreId)).OrderBy(p => p.FirstDue).FirstOrDefault()
            ?? throw new InvalidOperationException("No broadcast was due to be planned.");
        Console.Error.WriteLine($"  planned {plan.JourneyId}/{plan.Occasion}: {plan.Entries:N0} entries from {plan.Scanned:N0} indexed customers; sends {plan.FirstDue:u} to {plan.LastDue:u}");
        long entries = 0, batched = 0, individually = 0, postponed = 0, sweeps = 0;
        // What the minute SendBroadcasts timer does, with the clock moved to each minute that has entries due.
        while (plan.LastDue is { } last && await table.NextDueAsync(last.AddDays(1), 1, ct) is [var next, ..])
        {
            if (next.DueAt > clock.GetUtcNow()) clock.MoveTo(next.DueAt);
            var sweep = await sender.SweepAsync(ct);
            (entries, batched, individually, postponed, sweeps) = (entries + sweep.Entries, batched + sweep.Batched, individually + sweep.Individually, postponed + sweep.Postponed, sweeps + 1);
            if (sweep.Entries == 0 && sweep.Postponed == 0) break;
        }
        Console.Error.WriteLine($"  {sweeps:N0} sweeps: {entries:N0} entries, {batched:N0} batched, {individually:N0} one by one, {postponed:N0} postponed");
        return new PushOutcome(plan.Entries, batched, entries - batched - individually, postponed);
    };
}
