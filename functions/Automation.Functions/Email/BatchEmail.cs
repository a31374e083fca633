namespace Automation.Functions.Email;

/// <summary>
/// One recipient of a <see cref="BatchEmail"/>: their own personalization in SendGrid's request, never sharing a
/// <c>to</c> with anyone. Contains personal data: never log it.
/// </summary>
/// <param name="SendId">The outbox action key: <c>send_id</c> in <paramref name="CustomArgs"/>, and the key of this recipient's result.</param>
/// <param name="Name">Display name beside the address; SendGrid refuses <c>;</c> and <c>,</c> in it, so the sender drops them.</param>
/// <param name="TemplateData">This recipient's <c>dynamic_template_data</c>, as <see cref="EmailData"/> builds it for a single email.</param>
/// <param name="CustomArgs">As a single email carries them (<c>send_id</c>, <c>store</c>, <c>customer</c>, <c>journey</c>, <c>step</c>,
/// <c>run</c>, <c>template</c>), so SendGrid's events map back to this recipient.</param>
/// <param name="Headers"><c>List-Unsubscribe</c> (this recipient's signed one-click link) and <c>List-Unsubscribe-Post</c>.</param>
public sealed record BatchRecipient(
    string SendId,
    string CustomerKey,
    string Email,
    string? Name,
    IReadOnlyDictionary<string, object?> TemplateData,
    IReadOnlyDictionary<string, string> CustomArgs,
    IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A broadcast to many recipients of one SendGrid dynamic template in one locale, with the same sender, reply-to,
/// categories, unsubscribe group and sandbox mode; SendGrid renders each recipient's copy from their own data. Only a
/// dynamic template can be batched: a template from <c>templates/</c> is rendered by us, one body per recipient.
/// </summary>
/// <param name="DynamicTemplateId">The <c>d-…</c> id for <paramref name="Template"/> in <paramref name="Locale"/>; null when there is none (refused).</param>
/// <param name="SandboxMode">SendGrid validates and delivers nothing; <see cref="SendGridOptions.SandboxMode"/> turns it on for every batch.</param>
public sealed record BatchEmail(
    string StoreId,
    string Template,
    string Locale,
    string Category,
    Mailbox From,
    Mailbox? ReplyTo,
    IReadOnlyList<string> Categories,
    int? AsmGroupId,
    string? DynamicTemplateId,
    bool SandboxMode,
    IReadOnlyList<BatchRecipient> Recipients)
{
    /// <summary>Puts together the recipients of batches whose shared parts are the same (each composed for one
    /// recipient by <see cref="EmailComposer.ComposeForBatch"/>), keeping their order.</summary>
    public static IReadOnlyList<BatchEmail> Merge(IEnumerable<BatchEmail> batches) =>
        [.. batches.GroupBy(b => (b.StoreId, b.Template, b.Locale, b.Category, b.From, b.ReplyTo, Categories: string.Join('\n', b.Categories), b.AsmGroupId, b.DynamicTemplateId, b.SandboxMode))
            .Select(g => g.First() with { Recipients = [.. g.SelectMany(b => b.Recipients)] })];

    /// <summary>Why a template without a dynamic template for a locale cannot be batched.</summary>
    public static string NotBatchable(string template, string locale) =>
        $"template '{template}' has no SendGrid dynamic template for '{locale}' (Automation__SendGrid__DynamicTemplates__{template}__{locale}); " +
        "a template from templates/ is rendered once per recipient, so it cannot share a request";
}

/// <summary>What became of one recipient of a batch: sent (with the request's <c>X-Message-Id</c>), failed for good,
/// to retry (at <see cref="EmailResult.RetryAt"/>, or with the outbox's backoff), or unknown (the request may have
/// gone out: an at-most-once email is not tried again).</summary>
public sealed record BatchRecipientResult(string SendId, EmailResult Result);
