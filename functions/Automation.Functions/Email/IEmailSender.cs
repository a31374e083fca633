namespace Automation.Functions.Email;

/// <summary>One email to send: the template and what fills it. Contains personal data: never log it.</summary>
public sealed record OutgoingEmail(
    string ActionKey,
    string StoreId,
    string To,
    string Template,
    string Category,
    IReadOnlyDictionary<string, string?> Values);

/// <param name="MessageId">The provider's id for the accepted message.</param>
/// <param name="Transient">The failure may pass (429, 5xx, timeout): retry later.</param>
public sealed record EmailResult(bool Accepted, string? MessageId = null, string? Failure = null, bool Transient = false);

/// <summary>Hands an email to a provider. There is no idempotency key: see the outbox's at-most-once rule.</summary>
public interface IEmailSender
{
    Task<EmailResult> SendAsync(OutgoingEmail email, CancellationToken ct);
}
