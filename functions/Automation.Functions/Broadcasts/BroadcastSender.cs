using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Automation.Core.Audience;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Core.Messaging;
using Automation.Core.Profiles;
using Automation.Functions.Email;
using Automation.Functions.Events;
using Automation.Functions.Hosting;
using Automation.Functions.Journeys;
using Automation.Functions.Journeys.Outbox;
using Automation.Functions.Messaging;
using Automation.Functions.Reports;
using Automation.Functions.Storage;
using Automation.Functions.Suppression;

namespace Automation.Functions.Broadcasts;

/// <summary>What one sweep of the broadcasts did.</summary>
public sealed record BroadcastSweep(int Entries, int Batched, int Requests, int Individually, int Postponed);

/// <summary>
/// Sends the due entries of planned broadcasts, one group at a time: the entries of one minute, store, journey and
/// occasion, up to <see cref="SendGridBatchSender.MaxRecipients"/>. For each customer, the journey's entry is decided
/// on their whole profile by the engine, as for any event (the audience, re-entry, the holdout split, every send
/// policy), and the email it queues passes the same last gate as any email (the store's suppression list, consent,
/// the monthly quota). The emails of the group go to SendGrid together, one personalization each; then each
/// customer's entry and its result are committed in one transaction, with the processed-event marker of the
/// broadcast's event. What cannot be batched (coupons, notifications, a template without a SendGrid dynamic
/// template, no SendGrid key) takes the ordinary path of an event, one customer at a time.
/// <para>
/// <b>Once per customer.</b> An entry row is deleted only after its customer's commit, and the commit holds the run
/// the broadcast's event started, so a re-run finds that run and does nothing more. Before the request goes to
/// SendGrid the group's rows are marked with its batch id: a customer found marked and not committed was maybe sent,
/// so an at-most-once email is recorded as not sent again, never sent twice.
/// </para>
/// </summary>
public sealed class BroadcastSender(
    BroadcastTable table,
    CustomerTable customers,
    TimerTable timers,
    AudienceIndex audience,
    JourneyStore journeys,
    StoreDirectory stores,
    SuppressionList suppressions,
    MarketingQuota quota,
    EmailComposer composer,
    IEmailSender email,
    IServiceProvider services,
    JourneyActivity activity,
    TimeProvider time,
    ILogger<BroadcastSender> log)
{
    /// <summary>Customers decided and committed at the same time within a group.</summary>
    public const int Parallelism = 32;

    /// <summary>Groups sent by one sweep at most (a timer invocation has ten minutes).</summary>
    public const int MaxGroupsPerSweep = 500;

    /// <summary>When an entry that failed is tried again.</summary>
    public static readonly TimeSpan RetryFailedAfter = TimeSpan.FromMinutes(5);

    /// <summary>How long a paused journey's entries wait before they are looked at again.</summary>
    public static readonly TimeSpan PausedRecheck = TimeSpan.FromHours(1);

    /// <summary>A test hook: called at points of a group's sending (<c>prepared</c>, <c>marked</c>, <c>sent</c>), so a test can crash it there.</summary>
    internal Func<string, Task>? FaultPoint { get; set; }

    public async Task<BroadcastSweep> SweepAsync(CancellationToken ct)
    {
        var total = new BroadcastSweep(0, 0, 0, 0, 0);
        for (var i = 0; i < MaxGroupsPerSweep && !ct.IsCancellationRequested; i++)
        {
            var due = await table.NextDueAsync(time.GetUtcNow(), SendGridBatchSender.MaxRecipients, ct);
            if (due.Count == 0) break;
            var done = await SendGroupAsync(due, ct);
            total = new(total.Entries + done.Entries, total.Batched + done.Batched, total.Requests + done.Requests,
                total.Individually + done.Individually, total.Postponed + done.Postponed);
        }
        return total;
    }

    private sealed record Candidate(BroadcastEntry Entry, CustomerEvent Event, CustomerState State, CustomerOutcome Outcome, JourneyAction Action, BatchEmail Email);

    private enum Prepared { Done, Individually, Batched, Failed }

    private async Task<BroadcastSweep> SendGroupAsync(IReadOnlyList<BroadcastEntry> group, CancellationToken ct)
    {
        var first = group[0];
        var now = time.GetUtcNow();
        var library = await journeys.LibraryAsync(ct);
        if (!stores.TryGet(first.StoreId, out var options) || library.Get(first.JourneyId) is not { Current.Trigger.Schedule: not null } journey)
        {
            Log.BroadcastDropped(log, first.StoreId, first.JourneyId, first.Occasion, group.Count, "the store or the scheduled journey no longer exists");
            await table.DeleteAsync(group, ct);
            return new(group.Count, 0, 0, 0, 0);
        }
        if (journey.IsPaused)
        {
            foreach (var entry in group) await table.PostponeAsync(entry, now + PausedRecheck, ct);
            return new(0, 0, 0, 0, group.Count);
        }
        var late = group.Where(e => e.DueAt < now - BroadcastPlanner.MaxLateness).ToList();
        if (late.Count > 0)
        {
            Log.BroadcastDropped(log, first.StoreId, first.JourneyId, first.Occasion, late.Count, $"more than {BroadcastPlanner.MaxLateness.TotalHours:0} hours past their send time");
            await table.DeleteAsync(late, ct);
            group = [.. group.Except(late)];
        }

        var store = stores.Settings(first.StoreId);
        var tally = activity.Tally();
        var candidates = new ConcurrentBag<Candidate>();
        var finished = new ConcurrentBag<BroadcastEntry>();
        var failed = new ConcurrentBag<BroadcastEntry>();
        var individually = 0;
        await Parallel.ForEachAsync(group, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (entry, token) =>
        {
            try
            {
                var (prepared, candidate) = await PrepareAsync(entry, options, store, library, now, tally, token);
                if (prepared == Prepared.Batched) candidates.Add(candidate!);
                else finished.Add(entry);
                if (prepared == Prepared.Individually) Interlocked.Increment(ref individually);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                Log.BroadcastEntryFailed(log, ex, entry.StoreId, entry.JourneyId, entry.Occasion, RetryFailedAfter);
                failed.Add(entry);
            }
        });

        await Fault("prepared");
        var requests = 0;
        var batched = candidates.ToList();
        if (batched.Count > 0)
        {
            var results = new Dictionary<string, (EmailResult Result, bool Withheld)>(StringComparer.Ordinal);
            var admitted = await ReserveQuotaAsync(first.StoreId, store, batched, results, now, ct);
            var batchId = Guid.NewGuid().ToString("N");
            await table.MarkSendingAsync(admitted.Select(c => c.Entry), batchId, ct);
            await Fault("marked");
            // Only made when SendGrid is configured (without a key every email is captured, one by one).
            var batches = services.GetRequiredService<SendGridBatchSender>();
            foreach (var email in BatchEmail.Merge(admitted.Select(c => c.Email)))
            {
                foreach (var r in await batches.SendAsync(email, ct)) results[r.SendId] = (r.Result, false);
                requests += (email.Recipients.Count + SendGridBatchSender.MaxRecipients - 1) / SendGridBatchSender.MaxRecipients;
            }
            await Fault("sent");
            await Parallel.ForEachAsync(batched, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (c, token) =>
            {
                try
                {
                    var (result, withheld) = results[c.Email.Recipients[0].SendId];
                    await FinishAsync(c, result, withheld, store, library, tally, token);
                    finished.Add(c.Entry);
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    // Sent, perhaps, and not recorded: the entry stays marked, so the next attempt records it without sending.
                    Log.BroadcastEntryFailed(log, ex, c.Entry.StoreId, c.Entry.JourneyId, c.Entry.Occasion, RetryFailedAfter);
                    failed.Add(c.Entry with { Sending = batchId });
                }
            });
        }
        await table.DeleteAsync(finished, ct);
        foreach (var entry in failed) await table.PostponeAsync(entry, now + RetryFailedAfter, ct);
        await tally.FlushAsync(first.StoreId, ct);
        Log.BroadcastGroupSent(log, first.StoreId, first.JourneyId, first.Occasion, group.Count, batched.Count, requests, individually, failed.Count);
        return new(group.Count, batched.Count, requests, individually, failed.Count);
    }

    /// <summary>Decides one customer's entry; commits it at once unless its email is to go in the group's request.</summary>
    private async Task<(Prepared, Candidate?)> PrepareAsync(BroadcastEntry entry, StoreOptions options, Core.Stores.StoreSettings store, JourneyLibrary library,
        DateTimeOffset now, ActivityTally tally, CancellationToken ct)
    {
        var e = Event(entry, now);
        var partition = CustomerKey.Partition(entry.StoreId, entry.CustomerKey);
        var state = await customers.ReadStateAsync(partition, ct);
        var outcome = CustomerDecision.Decide(state.Profile, state.Journeys, e, store, library, now);
        if (outcome is not { Profile: { } profile, Journeys: { Changed: true } decision }) return (Prepared.Done, null);

        var emails = decision.Actions.Where(a => a.Kind == ActionKinds.SendEmail).ToList();
        if (decision.Actions.Count == 0)
        {
            if (await CommitAsync(entry, e, state, profile, decision, [], tally, ct) == CommitResult.Conflict) await ProcessIndividuallyAsync(e, ct);
            return (Prepared.Done, null);
        }
        if (decision.Actions.Count > 1 || emails.Count != 1 || email is CapturingEmailSender)
            return (await ProcessIndividuallyAsync(e, ct), null);

        var action = emails[0];
        // Maybe sent by an attempt that stopped before recording it: at most once means not again.
        if (entry.Sending is not null && action.Delivery != StepTypes.AtLeastOnce)
        {
            var failedResult = new EmailResult(false, Failure: "interrupted while sending a broadcast; it may have been sent, so it is not sent again (at most once)");
            await RecordAsync(entry, e, state, outcome, action, failedResult, withheld: false, store, library, tally, ct);
            return (Prepared.Done, null);
        }
        var key = ActionKey.For(entry.StoreId, entry.CustomerKey, action.Id);
        if (composer.ComposeForBatch(entry.StoreId, options, entry.CustomerKey, key, action, profile, decision.States, now) is not { Email: { } batchEmail })
            return (await ProcessIndividuallyAsync(e, ct), null); // the ordinary path sends it alone, or records why it cannot

        var suppressed = await suppressions.GetAsync(entry.StoreId, profile.Email!, ct);
        var verdict = SendPolicy.Gate(profile, action, new AddressStatus(suppressed?.Reason, suppressed?.OptedOut ?? new HashSet<string>()), 0, store, now);
        if (!verdict.Send)
        {
            await RecordAsync(entry, e, state, outcome, action, new EmailResult(false, Failure: verdict.Reason), withheld: true, store, library, tally, ct);
            return (Prepared.Done, null);
        }
        return (Prepared.Batched, new Candidate(entry, e, state, outcome, action, batchEmail));
    }

    /// <summary>The ordinary path of an event (read, decide, commit, dispatch): what a group's request cannot carry.</summary>
    private async Task<Prepared> ProcessIndividuallyAsync(CustomerEvent e, CancellationToken ct)
    {
        await services.GetRequiredService<EventProcessor>().ProcessAsync(e, ct);
        return Prepared.Individually;
    }

    /// <summary>The store's monthly quota, for the whole group in one reservation; who does not fit is withheld.</summary>
    private async Task<IReadOnlyList<Candidate>> ReserveQuotaAsync(string storeId, Core.Stores.StoreSettings store, List<Candidate> batched,
        Dictionary<string, (EmailResult Result, bool Withheld)> results, DateTimeOffset now, CancellationToken ct)
    {
        var marketing = batched.Where(c => (c.Action.Category ?? StepTypes.Marketing) == StepTypes.Marketing).ToList();
        if (store.Messaging.MonthlyMarketingQuota is not { } max || marketing.Count == 0) return batched;
        var (reserved, used) = await quota.TryReserveAsync(storeId, now, marketing.Count, max, ct);
        if (reserved) return batched;
        var room = (int)Math.Clamp(max - used, 0, marketing.Count);
        if (room > 0 && !(await quota.TryReserveAsync(storeId, now, room, max, ct)).Reserved) room = 0;
        var over = marketing.Skip(room).ToHashSet();
        foreach (var c in over)
        {
            var verdict = SendPolicy.Gate(c.Outcome.Profile!, c.Action, new AddressStatus(null, new HashSet<string>()), (int)Math.Min(int.MaxValue, max), store, now);
            results[c.Email.Recipients[0].SendId] = (new EmailResult(false, Failure: verdict.Reason ?? "the store's monthly marketing quota is used up"), true);
        }
        return [.. batched.Where(c => !over.Contains(c))];
    }

    private Task FinishAsync(Candidate c, EmailResult result, bool withheld, Core.Stores.StoreSettings store, JourneyLibrary library, ActivityTally tally, CancellationToken ct)
    {
        if (result.Unknown && c.Action.Delivery != StepTypes.AtLeastOnce)
            result = result with { Failure = $"{result.Failure}; it may have been sent, so it is not sent again (at most once)", Transient = false };
        return RecordAsync(c.Entry, c.Event, c.State, c.Outcome, c.Action, result, withheld, store, library, tally, ct);
    }

    /// <summary>
    /// Commits the entry together with its email's result, as the result event would have recorded it (sent, failed,
    /// withheld), so a sent customer costs one transaction. A failure worth retrying instead commits the entry with the
    /// email in the outbox, for the ordinary dispatcher to send alone when SendGrid allows.
    /// </summary>
    private async Task RecordAsync(BroadcastEntry entry, CustomerEvent e, CustomerState state, CustomerOutcome outcome, JourneyAction action,
        EmailResult result, bool withheld, Core.Stores.StoreSettings store, JourneyLibrary library, ActivityTally tally, CancellationToken ct)
    {
        var decision = outcome.Journeys!;
        if (!result.Accepted && result.Transient)
        {
            var retryAt = result.RetryAt is { } at && at > time.GetUtcNow() ? at : time.GetUtcNow() + TimeSpan.FromMinutes(1);
            await timers.ArmOutboxCheckAsync(entry.StoreId, entry.CustomerKey, action.Id, retryAt, ct);
            if (await CommitAsync(entry, e, state, outcome.Profile!, decision, decision.Actions, tally, ct) == CommitResult.Conflict)
                await ProcessIndividuallyAsync(e, ct);
            return;
        }
        var now = time.GetUtcNow();
        var details = result.Accepted
            ? new JsonObject { ["messageId"] = result.MessageId, ["template"] = action.Template }
            : new JsonObject { ["reason"] = result.Failure, ["withheld"] = withheld ? true : null };
        var resultEvent = EngineEvents.Result(entry.StoreId, entry.CustomerKey, action, result.Accepted ? EventTypes.EmailSent : EventTypes.EmailFailed, now, details);
        var after = CustomerDecision.Decide(outcome.Profile, decision.States, resultEvent, store, library, now);
        var final = Then(decision, after.Journeys, []);
        if (await CommitAsync(entry, e, state, after.Profile ?? outcome.Profile!, final, final.Actions, tally, ct) == CommitResult.Conflict)
            await AfterConflictAsync(entry, e, action, result, withheld, store, library, tally, ct);
    }

    /// <summary>
    /// The customer changed between the read and the commit (an order came in). The email has its result already,
    /// so the entry is decided again on the new state and the result given to that decision's email of the same step;
    /// if the new decision sends nothing there, its own decision is committed as it is.
    /// </summary>
    private async Task AfterConflictAsync(BroadcastEntry entry, CustomerEvent e, JourneyAction sent, EmailResult result, bool withheld,
        Core.Stores.StoreSettings store, JourneyLibrary library, ActivityTally tally, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var now = time.GetUtcNow();
            var state = await customers.ReadStateAsync(CustomerKey.Partition(entry.StoreId, entry.CustomerKey), ct);
            var outcome = CustomerDecision.Decide(state.Profile, state.Journeys, e, store, library, now);
            if (outcome is not { Profile: { } profile, Journeys: { Changed: true } decision }) return;
            if (decision.Actions.FirstOrDefault(a => a.Kind == ActionKinds.SendEmail && a.StepId == sent.StepId) is not { } same)
            {
                Log.BroadcastPathChanged(log, entry.StoreId, entry.JourneyId, entry.Occasion);
                if (await CommitAsync(entry, e, state, profile, decision, decision.Actions, tally, ct) != CommitResult.Conflict)
                {
                    await services.GetRequiredService<OutboxDispatcher>().DispatchAsync(entry.StoreId, entry.CustomerKey, decision.Actions, ct);
                    return;
                }
                continue;
            }
            var resultEvent = EngineEvents.Result(entry.StoreId, entry.CustomerKey, same, result.Accepted ? EventTypes.EmailSent : EventTypes.EmailFailed, now,
                result.Accepted ? new JsonObject { ["messageId"] = result.MessageId, ["template"] = same.Template } : new JsonObject { ["reason"] = result.Failure, ["withheld"] = withheld ? true : null });
            var after = CustomerDecision.Decide(profile, decision.States, resultEvent, store, library, now);
            var rest = decision.Actions.Where(a => a.Id != same.Id).ToList();
            var final = Then(decision, after.Journeys, rest);
            if (await CommitAsync(entry, e, state, after.Profile ?? profile, final, final.Actions, tally, ct) != CommitResult.Conflict)
            {
                await services.GetRequiredService<OutboxDispatcher>().DispatchAsync(entry.StoreId, entry.CustomerKey, final.Actions, ct);
                return;
            }
        }
        throw new InvalidOperationException($"The broadcast entry of {entry.JourneyId}/{entry.Occasion} lost 10 races for its customer's profile.");
    }

    /// <summary>One transaction, as <see cref="EventProcessor"/> makes it: timers first, the audience index if it changed, housekeeping.</summary>
    private async Task<CommitResult> CommitAsync(BroadcastEntry entry, CustomerEvent e, CustomerState state, CustomerProfile profile, JourneyDecision final, IReadOnlyList<JourneyAction> actions, ActivityTally tally, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (final.Timers.Count > 0) await timers.ArmAsync(entry.StoreId, entry.CustomerKey, final.Timers, ct);
        if (actions.Count > 0) await timers.ArmOutboxCheckAsync(entry.StoreId, entry.CustomerKey, actions[0].Id, now + OutboxDispatcher.CheckAfter, ct);
        if (AudienceEntry.From(profile) is var indexed && indexed != AudienceEntry.From(state.Profile))
        {
            if (indexed is null) await audience.DeleteAsync(entry.StoreId, entry.CustomerKey, ct);
            else await audience.UpsertAsync(indexed, ct);
        }
        DateTimeOffset? housekeepAt = null;
        if (state.HousekeepAt is not { } planned || planned <= now)
        {
            housekeepAt = now + TimerSweeper.MarkerRetention + TimeSpan.FromDays(1);
            await timers.ArmHousekeepingAsync(entry.StoreId, entry.CustomerKey, housekeepAt.Value, ct);
        }
        var committed = await customers.CommitAsync(CustomerKey.Partition(entry.StoreId, entry.CustomerKey), profile, final.States, state.ETag, e,
            actions, [], now, ct, final.Ended, housekeepAt ?? state.HousekeepAt);
        if (committed == CommitResult.Committed) tally.Add(state.Journeys, final);
        return committed;
    }

    /// <summary>
    /// The entry's decision followed by its email's result, as one: the result's states, the timers and ended runs of
    /// both (a run ended in the first and noted again in the second is kept once, as the second has it), and
    /// <paramref name="actions"/> besides the second's own.
    /// </summary>
    private static JourneyDecision Then(JourneyDecision first, JourneyDecision? second, IReadOnlyList<JourneyAction> actions)
    {
        if (second is not { Changed: true }) return first with { Actions = actions };
        var ended = first.Ended.Concat(second.Ended).GroupBy(i => (i.JourneyId, i.Run)).Select(g => g.Last()).ToList();
        return second with { Ended = ended, Timers = [.. first.Timers, .. second.Timers], Actions = [.. actions, .. second.Actions] };
    }

    private static CustomerEvent Event(BroadcastEntry entry, DateTimeOffset now) =>
        EngineEvents.Scheduled(entry.StoreId, entry.CustomerKey, entry.JourneyId, entry.Occasion, entry.DueAt, now, new JsonObject
        {
            ["holiday"] = entry.Holiday,
            ["holidayName"] = entry.HolidayName,
            ["date"] = entry.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["market"] = entry.Market,
        });

    private Task Fault(string point) => FaultPoint?.Invoke(point) ?? Task.CompletedTask;
}
