using System.Globalization;
using System.Text.Json.Nodes;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Coupons;
using Automation.Functions.Email;
using Automation.Functions.Events;
using Automation.Functions.Notifications;
using Automation.Functions.Messaging;
using Automation.Functions.Storage;
using Automation.Functions.Suppression;
using Automation.Core.Messaging;
using Automation.Core.Profiles;
using Azure.Data.Tables;

namespace Automation.Functions.Journeys.Outbox;

/// <summary>
/// Carries out committed outbox actions (coupon, email, webhook) and reports each result back to
/// the customer as an event, whose transaction deletes the outbox row. Runs right after the
/// commit, and again from the outbox-check timer for whatever a crash or a failure left behind.
/// Emails are marked <c>sending</c> before the provider call: one found <c>sending</c> afterwards
/// is not sent again when its step says at most once, and is when it says at least once.
/// </summary>
public sealed class OutboxDispatcher(
    CustomerTable customers,
    TimerTable timers,
    ICouponIssuer coupons,
    IEmailSender email,
    WebhookNotifier notifier,
    IServiceProvider services,
    Hosting.StoreDirectory stores,
    SuppressionList suppressions,
    MarketingQuota quota,
    TimeProvider time,
    ILogger<OutboxDispatcher> log)
{
    /// <summary>Failed dispatches of one action before it is reported failed for good.</summary>
    public const int MaxAttempts = 8;

    /// <summary>How long after a commit the outbox is checked again, should the dispatch not happen.</summary>
    public static readonly TimeSpan CheckAfter = TimeSpan.FromMinutes(2);

    /// <summary>Outbox row column: when a failed action is tried again (set by the provider's answer or the backoff).</summary>
    public const string RetryAtColumn = "RetryAt";

    /// <summary>The longest a provider's "come back at" is honoured; beyond it the usual backoff applies.</summary>
    public static readonly TimeSpan MaxProviderWait = TimeSpan.FromHours(6);

    /// <summary>Outbox row column set for one dispatch: the email waits for the send window, which is not a failed attempt.</summary>
    private const string QuietColumn = "QuietWait";

    /// <summary>Outbox row column: this email has taken its slot of the store's monthly quota.</summary>
    private const string QuotaColumn = "QuotaTaken";

    /// <summary>A test hook: called before each step of a dispatch, so a test can fail it there.</summary>
    internal Func<string, JourneyAction, Task>? FaultPoint { get; set; }

    public async Task DispatchPendingAsync(string storeId, string customerKey, CancellationToken ct)
    {
        var partition = CustomerKey.Partition(storeId, customerKey);
        foreach (var row in await customers.ReadOutboxAsync(partition, ct))
            await DispatchAsync(storeId, customerKey, row, ct);
    }

    /// <summary>Dispatches the actions just committed (their rows are read back for their ETags).</summary>
    public Task DispatchAsync(string storeId, string customerKey, IReadOnlyList<JourneyAction> actions, CancellationToken ct) =>
        actions.Count == 0 ? Task.CompletedTask : DispatchPendingAsync(storeId, customerKey, ct);

    private async Task DispatchAsync(string storeId, string customerKey, TableEntity row, CancellationToken ct)
    {
        var action = OutboxEntity.FromEntity(row);
        var key = ActionKey.For(storeId, customerKey, action.Id);
        var attempts = row.GetInt32("Attempts") ?? 0;
        // A failed action waits for its retry time (its own timer is armed for it); an earlier outbox check leaves it alone.
        if (row.GetDateTimeOffset(RetryAtColumn) is { } notBefore && notBefore > time.GetUtcNow()) return;
        var (type, details, retry) = action.Kind switch
        {
            ActionKinds.IssueCoupon => await IssueCouponAsync(storeId, customerKey, key, action, ct),
            ActionKinds.SendEmail => await SendEmailAsync(storeId, customerKey, key, row, action, ct),
            _ => await NotifyAsync(key, action, ct),
        };
        if (type is null) return;
        var quiet = row.GetBoolean(QuietColumn) == true;
        row.Remove(QuietColumn);
        if (retry is { } reason && (quiet || attempts + 1 < MaxAttempts))
        {
            if (!quiet) row["Attempts"] = attempts + 1;
            row["State"] = OutboxEntity.Pending;
            row["LastFailure"] = reason;
            var now = time.GetUtcNow();
            var backoff = TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, attempts)));
            // The provider may say when to come back (SendGrid's 429 X-RateLimit-Reset); a time past or absurdly far means back off as
            // usual. The send window's opening is always kept: it is at most a day away.
            var due = row.GetDateTimeOffset(RetryAtColumn) is { } at && at > now && (quiet || at <= now + MaxProviderWait) ? at : now + backoff;
            row[RetryAtColumn] = due;
            await timers.ArmOutboxCheckAsync(storeId, customerKey, $"{action.Id}.{attempts + 1}", due, ct);
            await customers.UpdateOutboxAsync(row, ct);
            Log.ActionRetry(log, key, action.Kind, attempts + 1, reason);
            return;
        }
        await Fault("before-result", action);
        var result = EngineEvents.Result(storeId, customerKey, action, type, time.GetUtcNow(), details);
        await services.GetRequiredService<EventProcessor>().ProcessAsync(result, ct);
        Log.ActionDispatched(log, key, action.Kind, type);
    }

    private async Task<(string?, JsonObject, string?)> IssueCouponAsync(string storeId, string customerKey, string key, JourneyAction action, CancellationToken ct)
    {
        await Fault("before-call", action);
        var issued = await coupons.IssueAsync(new CouponRequest(storeId, customerKey, key, action), ct);
        await Fault("after-call", action);
        if (issued.Code is { } code) return (EventTypes.CouponIssued, CouponResults.Issued(action, code), null);
        return (EventTypes.CouponFailed, new JsonObject { ["reason"] = issued.Failure }, issued.Transient ? issued.Failure : null);
    }

    private async Task<(string?, JsonObject, string?)> SendEmailAsync(string storeId, string customerKey, string key, TableEntity row, JourneyAction action, CancellationToken ct)
    {
        if (row.GetString("State") == OutboxEntity.Sending && action.Delivery != StepTypes.AtLeastOnce)
        {
            Log.EmailNotResent(log, key);
            return (EventTypes.EmailFailed, new JsonObject { ["reason"] = "interrupted while sending; not sent again (at most once)" }, null);
        }
        var state = await customers.ReadStateAsync(CustomerKey.Partition(storeId, customerKey), ct);
        if (state.Profile is not { Email: not null } profile)
            return (EventTypes.EmailFailed, new JsonObject { ["reason"] = "the customer has no email address any more" }, null);
        if (!stores.TryGet(storeId, out var store))
            return (EventTypes.EmailFailed, new JsonObject { ["reason"] = $"store '{storeId}' is not configured any more" }, null);
        // Composed from the profile as it is now (a changed name, locale or address counts), before anything is marked:
        // a message that cannot be composed was never sent, and retrying cannot fix it.
        var composed = services.GetRequiredService<EmailComposer>().Compose(storeId, store, customerKey, key, action, profile, state.Journeys, time.GetUtcNow());
        if (composed.Email is not { } message)
        {
            Log.EmailNotComposed(log, key, action.Template ?? "", composed.Failure ?? "");
            return (EventTypes.EmailFailed, new JsonObject { ["reason"] = composed.Failure }, null);
        }
        // A retry that drifted into the recipient's quiet hours waits for the window (no attempt is spent on it).
        if (row.GetInt32("Attempts") is > 0 && SendPolicy.QuietUntil(profile, stores.Settings(storeId), time.GetUtcNow()) is { } opens)
        {
            row[RetryAtColumn] = opens;
            row[QuietColumn] = true;
            return (EventTypes.EmailFailed, [], "quiet hours in the recipient's time zone");
        }
        if (await GateAsync(storeId, profile, action, row, ct) is { } withheld)
            return (EventTypes.EmailFailed, withheld, null);

        row["State"] = OutboxEntity.Sending;
        row.Remove(RetryAtColumn);
        if (!await customers.UpdateOutboxAsync(row, ct)) return (null, [], null); // another dispatcher has it
        await Fault("before-call", action);
        var sent = await email.SendAsync(message, ct);
        await Fault("after-call", action);
        if (sent.Accepted)
            return (EventTypes.EmailSent, new JsonObject { ["messageId"] = sent.MessageId, ["template"] = message.Template, ["locale"] = message.Locale }, null);
        if (sent.Unknown && action.Delivery != StepTypes.AtLeastOnce)
        {
            Log.EmailNotResent(log, key);
            return (EventTypes.EmailFailed, new JsonObject { ["reason"] = $"{sent.Failure}; it may have been sent, so it is not sent again (at most once)" }, null);
        }
        if (sent.RetryAt is { } retryAt)
        {
            row[RetryAtColumn] = retryAt;
            Log.EmailRateLimited(log, key, retryAt);
        }
        return (EventTypes.EmailFailed, new JsonObject { ["reason"] = sent.Failure }, sent.Transient ? sent.Failure : null);
    }

    /// <summary>
    /// The policy gate (<see cref="SendPolicy.Gate(CustomerProfile, JourneyAction, AddressStatus, int, Automation.Core.Stores.StoreSettings, DateTimeOffset)"/>),
    /// the last check every email passes right before the provider call, with what may have changed since the
    /// decision: the store's suppression list (an unsubscribe is honoured here before the customer's profile
    /// hears of it), the profile's consent, and the store's monthly marketing quota, whose slot it takes.
    /// Null to send, or the <c>email.failed</c> details (<c>withheld</c>) saying why not.
    /// </summary>
    private async Task<JsonObject?> GateAsync(string storeId, CustomerProfile profile, JourneyAction action, TableEntity row, CancellationToken ct)
    {
        var store = stores.Settings(storeId);
        var now = time.GetUtcNow();
        var entry = await suppressions.GetAsync(storeId, profile.Email!, ct);
        var address = new AddressStatus(entry?.Reason, entry?.OptedOut ?? new HashSet<string>());
        var verdict = SendPolicy.Gate(profile, action, address, 0, store, now);
        // The quota slot is taken once per message (a retry keeps the slot its first attempt took).
        var marketing = (action.Category ?? StepTypes.Marketing) == StepTypes.Marketing;
        if (verdict.Send && marketing && store.Messaging.MonthlyMarketingQuota is { } max && row.GetBoolean(QuotaColumn) != true)
        {
            var (reserved, before) = await quota.TryReserveAsync(storeId, now, 1, max, ct);
            if (reserved) row[QuotaColumn] = true;
            else verdict = SendPolicy.Gate(profile, action, address, (int)Math.Min(int.MaxValue, before), store, now);
        }
        return verdict.Send ? null : new JsonObject { ["reason"] = verdict.Reason, ["withheld"] = true };
    }

    private async Task<(string?, JsonObject, string?)> NotifyAsync(string key, JourneyAction action, CancellationToken ct)
    {
        await Fault("before-call", action);
        var result = await notifier.NotifyAsync(action, key, ct);
        await Fault("after-call", action);
        if (result.Delivered) return (EventTypes.NotifySent, new JsonObject { ["status"] = result.Status?.ToString(CultureInfo.InvariantCulture) }, null);
        return (EventTypes.NotifyFailed, new JsonObject { ["reason"] = result.Failure }, result.Transient ? result.Failure : null);
    }

    private Task Fault(string point, JourneyAction action) => FaultPoint?.Invoke(point, action) ?? Task.CompletedTask;
}
