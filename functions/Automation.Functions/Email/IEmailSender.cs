namespace Automation.Functions.Email;

/// <summary>A sender or reply-to address with its display name.</summary>
public sealed record Mailbox(string Email, string? Name = null);

/// <summary>
/// One email ready for the provider: rendered from <c>templates/</c> (what the captured outbox shows, and what
/// SendGrid gets as content), or to be rendered by SendGrid from <see cref="DynamicTemplateId"/> with the same
/// <see cref="TemplateData"/>. Contains personal data: never log it.
/// </summary>
/// <param name="ActionKey">The outbox action key: the <c>send_id</c> SendGrid's events carry back.</param>
/// <param name="Category"><c>marketing</c> or <c>service</c> (the step's category).</param>
/// <param name="Categories">SendGrid categories: distinct, non-empty, at most 10.</param>
/// <param name="CustomArgs">SendGrid custom args: strings, at most 10,000 bytes in all.</param>
/// <param name="Headers">Extra headers (List-Unsubscribe and List-Unsubscribe-Post), never reserved ones.</param>
/// <param name="AsmGroupId">The store's SendGrid unsubscribe group; marketing only.</param>
public sealed record ComposedEmail(
    string ActionKey,
    string StoreId,
    string CustomerKey,
    string Template,
    string Locale,
    string Category,
    Mailbox From,
    Mailbox? ReplyTo,
    string To,
    string Subject,
    string Html,
    string Text,
    IReadOnlyList<string> Categories,
    IReadOnlyDictionary<string, string> CustomArgs,
    IReadOnlyDictionary<string, string> Headers,
    int? AsmGroupId,
    string? DynamicTemplateId,
    IReadOnlyDictionary<string, object?> TemplateData);

/// <param name="MessageId">The provider's id for the accepted message.</param>
/// <param name="Transient">The failure may pass (429, 5xx, timeout): retry later.</param>
/// <param name="RetryAt">When the provider said to try again (a 429's <c>X-RateLimit-Reset</c>); null: back off as usual.</param>
/// <param name="Unknown">The request may have reached the provider (a timeout, a connection lost mid-request): it may have
/// been sent. An at-most-once email is then not tried again; an at-least-once one is.</param>
public sealed record EmailResult(bool Accepted, string? MessageId = null, string? Failure = null, bool Transient = false, DateTimeOffset? RetryAt = null, bool Unknown = false);

/// <summary>Hands an email to a provider. There is no idempotency key: see the outbox's at-most-once rule.</summary>
public interface IEmailSender
{
    Task<EmailResult> SendAsync(ComposedEmail email, CancellationToken ct);
}
