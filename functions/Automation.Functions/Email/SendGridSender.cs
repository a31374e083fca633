using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Automation.Functions.Email;

/// <summary>
/// Sends through SendGrid's <c>POST {Host}/v3/mail/send</c> with the <c>SendGrid</c> package's client. We pass our
/// own <see cref="HttpClient"/>, which turns off the package's retry handler: the outbox retries transient failures
/// with backoff, and a second retry layer would multiply attempts. Nothing here logs: the outbox records the
/// outcome, and neither the recipient nor the API key may appear in a log.
/// Not registered yet: until templates are rendered (stage 3) the body would be the raw template
/// values, so local runs and Azure keep the <see cref="CapturingEmailSender"/> until then.
/// </summary>
public sealed class SendGridSender(HttpClient http, IOptions<SendGridOptions> options) : IEmailSender
{
    private readonly SendGridClient _client = new(http, new SendGridClientOptions
    {
        ApiKey = options.Value.ApiKey,
        Host = options.Value.Host.TrimEnd('/'),
        HttpErrorAsException = false,
    });

    public async Task<EmailResult> SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            var response = await _client.SendEmailAsync(Message(email, settings), timeout.Token);
            return await ResultAsync(response, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new EmailResult(false, Failure: $"SendGrid did not answer within {settings.TimeoutSeconds}s", Transient: true);
        }
        catch (HttpRequestException ex)
        {
            // The exception's text names the host at most, never the recipient.
            return new EmailResult(false, Failure: "SendGrid unreachable: " + ex.Message, Transient: true);
        }
    }

    internal static SendGridMessage Message(OutgoingEmail email, SendGridOptions settings)
    {
        var message = new SendGridMessage
        {
            From = new EmailAddress(settings.FromEmail, string.IsNullOrEmpty(settings.FromName) ? null : settings.FromName),
            // Interim subject and body until stage 3 renders templates: the template id, and the values as
            // "key: value" lines, so a sandbox or test inbox shows what the template would be filled with.
            Subject = email.Template,
            PlainTextContent = email.Values.Count == 0 ? "(no values)" // SendGrid refuses empty content
                : string.Join('\n', email.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}: {v.Value}")),
        };
        message.AddTo(email.To);
        // SendGrid refuses duplicate or empty categories.
        message.AddCategories([.. new[] { email.Template, email.Category }.Where(c => !string.IsNullOrEmpty(c)).Distinct(StringComparer.Ordinal)]);
        // Persisted names: SendGrid's events carry these back as top-level keys.
        message.AddCustomArgs(new Dictionary<string, string>
        {
            ["send_id"] = email.ActionKey,
            ["store"] = email.StoreId,
            ["template"] = email.Template,
        });
        message.SetSandBoxMode(settings.SandboxMode);
        return message;
    }

    private static async Task<EmailResult> ResultAsync(Response response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        // 202 when queued; 200 in sandbox mode, where nothing is delivered and the id may be absent.
        if (response.IsSuccessStatusCode) return new EmailResult(true, Header(response, "X-Message-Id"));
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var reset = Header(response, "X-RateLimit-Reset");
            return new EmailResult(false, Failure: reset is null ? "429 from SendGrid" : $"429 from SendGrid; X-RateLimit-Reset {reset}", Transient: true);
        }
        if (status >= 500) return new EmailResult(false, Failure: $"{status} from SendGrid", Transient: true);
        var body = response.Body is null ? "" : await response.Body.ReadAsStringAsync(ct);
        return new EmailResult(false, Failure: $"{status} from SendGrid: {ErrorText(body)}");
    }

    private static string? Header(Response response, string name) =>
        response.Headers is { } headers && headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>SendGrid's <c>{"errors":[{"message","field","help"}]}</c> as one line; other bodies as they came, cut short.</summary>
    internal static string ErrorText(string body)
    {
        const int Max = 1000;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var text = new StringBuilder();
                foreach (var error in errors.EnumerateArray())
                {
                    if (text.Length > 0) text.Append("; ");
                    text.Append(Text(error, "message") ?? "(no message)");
                    if (Text(error, "field") is { Length: > 0 } field) text.Append(CultureInfo.InvariantCulture, $" ({field})");
                }
                if (text.Length > 0) return Cut(text.ToString(), Max);
            }
        }
        catch (JsonException)
        {
            // Not SendGrid's error shape (a proxy's page, say): keep what came.
        }
        return body.Length == 0 ? "(empty body)" : Cut(body, Max);
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
