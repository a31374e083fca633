namespace Automation.Core.Events;

/// <summary>
/// Canonical event type names. They are persisted (queue messages, processed-event markers,
/// journey triggers), so they never change once shipped.
/// </summary>
public static class EventTypes
{
    public const string OrderPlaced = "order.placed";
    public const string OrderPaid = "order.paid";
    public const string OrderFulfilled = "order.fulfilled";
    public const string OrderDelivered = "order.delivered";
    public const string OrderCancelled = "order.cancelled";
    public const string OrderRefunded = "order.refunded";
    public const string CustomerCreated = "customer.created";
    public const string CustomerUpdated = "customer.updated";
    public const string CustomerDeleted = "customer.deleted";
    public const string ConsentChanged = "consent.changed";
    public const string CheckoutStarted = "checkout.started";
    public const string CheckoutUpdated = "checkout.updated";
    public const string CustomerRedacted = "customer.redacted";
    public const string ShopRedacted = "shop.redacted";
    public const string CustomerActive = "customer.active";
    public const string ProductViewed = "product.viewed";
    public const string CartUpdated = "cart.updated";
    public const string ComplaintOpened = "complaint.opened";
    public const string ComplaintClosed = "complaint.closed";
    public const string SurveyAnswered = "survey.answered";

    // The recipient's side: produced by our unsubscribe page, the admin block list and SendGrid's
    // event webhook. data.scope "all" (every email of the store) or "journey" (data.journey only).
    public const string EmailUnsubscribed = "email.unsubscribed";

    /// <summary>The address may not be mailed: data.reason <c>bounced</c>, <c>dropped</c>, <c>spamreport</c> or <c>blocked</c>.</summary>
    public const string EmailSuppressed = "email.suppressed";

    /// <summary>An admin lifted a suppression (e.g. unblocked a customer).</summary>
    public const string EmailUnsuppressed = "email.unsuppressed";

    // Produced by the journey engine itself: timers firing, schedules starting, and the results of
    // side effects coming back to the instance that asked for them.
    public const string JourneyWakeUp = "journey.wakeup";
    public const string JourneyScheduled = "journey.scheduled";
    public const string CouponIssued = "coupon.issued";
    public const string CouponFailed = "coupon.failed";
    public const string EmailSent = "email.sent";
    public const string EmailFailed = "email.failed";
    public const string NotifySent = "notify.sent";
    public const string NotifyFailed = "notify.failed";

    /// <summary>Engine events: they drive journeys but are not the customer's activity.</summary>
    public static readonly IReadOnlySet<string> Internal = new HashSet<string>(StringComparer.Ordinal)
    {
        JourneyWakeUp, JourneyScheduled, CouponIssued, CouponFailed, EmailSent, EmailFailed, NotifySent, NotifyFailed,
    };

    /// <summary>Event types that only our own integrations produce; the events API refuses them.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        CustomerRedacted, ShopRedacted, ConsentChanged, CustomerDeleted,
        EmailUnsubscribed, EmailSuppressed, EmailUnsuppressed,
        JourneyWakeUp, JourneyScheduled, CouponIssued, CouponFailed, EmailSent, EmailFailed, NotifySent, NotifyFailed,
    };
}
