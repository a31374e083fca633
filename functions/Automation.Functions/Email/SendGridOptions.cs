namespace Automation.Functions.Email;

/// <summary>Settings under <c>Automation:SendGrid</c> (environment: <c>Automation__SendGrid__…</c>). With no
/// <see cref="ApiKey"/>, emails are captured locally instead of sent.</summary>
public sealed class SendGridOptions
{
    public const string Section = "Automation:SendGrid";

    /// <summary>API key with Mail Send rights. A secret: keep it in Key Vault or app settings, never in files or logs.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Base address of the v3 API; a local listener's address in tests.</summary>
    public string Host { get; set; } = "https://api.sendgrid.com";

    /// <summary>Ask SendGrid to validate each message and deliver none (it answers 200 instead of 202).</summary>
    public bool SandboxMode { get; set; }

    /// <summary>Sender address; must be a verified sender or on an authenticated domain in SendGrid.</summary>
    public string FromEmail { get; set; } = "";

    /// <summary>Display name shown with <see cref="FromEmail"/>.</summary>
    public string? FromName { get; set; }

    /// <summary>Seconds one call to SendGrid may take before it counts as a transient failure.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Longest a broadcast batch waits for SendGrid's rate limit to reset (<c>X-RateLimit-Remaining: 0</c>)
    /// before its next request; a longer wait hands the rest back to be retried at <c>X-RateLimit-Reset</c>.</summary>
    public int BatchMaxWaitSeconds { get; set; } = 60;

    /// <summary>The Event Webhook's verification key (base64 DER SubjectPublicKeyInfo, ECDSA P-256) from SendGrid's settings page.
    /// Empty: <c>POST /api/webhooks/sendgrid</c> refuses every request.</summary>
    public string? EventWebhookPublicKey { get; set; }

    /// <summary>SendGrid dynamic template ids (<c>d-…</c>) by our template name and locale
    /// (<c>Automation__SendGrid__DynamicTemplates__winback-20__fr=d-…</c>); a template without one is rendered from <c>templates/</c>.</summary>
    public Dictionary<string, Dictionary<string, string>> DynamicTemplates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The dynamic template id configured for <paramref name="template"/> in <paramref name="locale"/>; null when it is rendered from <c>templates/</c>.</summary>
    public string? DynamicTemplateFor(string template, string locale) =>
        DynamicTemplates.GetValueOrDefault(template)?.GetValueOrDefault(locale) is { } id && !string.IsNullOrWhiteSpace(id) ? id.Trim() : null;
}
