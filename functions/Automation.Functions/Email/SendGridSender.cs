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
/// </summary>
public sealed class SendGridSender(HttpClient http, IOptions<SendGridOptions> options) : IEmailSender
{
    private readonly SendGridClient _client = new(http, new SendGridClientOptions
    {
        ApiKey = options.Value.ApiKey,
        Host = options.Value.Host.TrimEnd('/'),
        HttpErrorAsException = false,
    });

    public async Task<EmailResult> SendAsync(ComposedEmail email, CancellationToken ct)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(email.From.Email))
            return new EmailResult(false, Failure: $"no sender address: set Automation__Stores__{email.StoreId}__FromEmail or Automation__SendGrid__FromEmail");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            var response = await _client.SendEmailAsync(Message(email, settings), timeout.Token);
            return await ResultAsync(response, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new EmailResult(false, Failure: $"SendGrid did not answer within {settings.TimeoutSeconds}s", Transient: true, Unknown: true);
        }
        catch (HttpRequestException ex)
        {
            // The exception's text names the host at most, never the recipient.
            // Failing to connect sent nothing; a connection lost after the request went out may have sent it.
            var beforeSending = ex.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError;
            return new EmailResult(false, Failure: "SendGrid unreachable: " + ex.Message, Transient: true, Unknown: !beforeSending);
        }
    }

    internal static SendGridMessage Message(ComposedEmail email, SendGridOptions settings)
    {
        var message = new SendGridMessage { From = new EmailAddress(email.From.Email, email.From.Name) };
        message.AddTo(email.To);
        if (email.DynamicTemplateId is { } templateId)
        {
            // SendGrid renders its own copy of the template from the same data; no subject or content is sent.
            message.SetTemplateId(templateId);
            message.SetTemplateData(email.TemplateData);
        }
        else
        {
            message.Subject = email.Subject;
            message.PlainTextContent = email.Text.Length == 0 ? " " : email.Text; // the package puts text/plain first, as SendGrid asks
            message.HtmlContent = email.Html;
        }
        if (email.ReplyTo is { } reply) message.ReplyTo = new EmailAddress(reply.Email, reply.Name);
        if (email.Categories.Count > 0) message.AddCategories([.. email.Categories]);
        message.AddCustomArgs(new Dictionary<string, string>(email.CustomArgs));
        message.AddHeaders(new Dictionary<string, string>(email.Headers));
        if (email.AsmGroupId is { } group) message.SetAsm(group);
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
            DateTimeOffset? retryAt = long.TryParse(reset, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 253_402_300_799
                ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
            return new EmailResult(false, Failure: reset is null ? "429 from SendGrid" : $"429 from SendGrid; X-RateLimit-Reset {reset}", Transient: true, RetryAt: retryAt);
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
