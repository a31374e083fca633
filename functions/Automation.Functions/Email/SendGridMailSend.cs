using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Automation.Functions.Email;

/// <summary>What one call to SendGrid came to: the result for the recipients it carried, the HTTP status (null when no
/// answer came: unreachable, timed out or cut off) and the rate-limit headers, when SendGrid sent them.</summary>
/// <param name="RateLimitRemaining"><c>X-RateLimit-Remaining</c>: requests left in the current window.</param>
/// <param name="RateLimitReset"><c>X-RateLimit-Reset</c>: when the window starts again.</param>
internal sealed record SendGridAnswer(EmailResult Result, int? Status, long? RateLimitRemaining, DateTimeOffset? RateLimitReset);

/// <summary>
/// One <c>POST {Host}/v3/mail/send</c> through the <c>SendGrid</c> package's client and what its answer means, shared
/// by <see cref="SendGridSender"/> (one message) and <see cref="SendGridBatchSender"/> (up to 1,000 personalizations).
/// We pass our own <see cref="HttpClient"/>, which turns off the package's retry handler: the outbox retries transient
/// failures with backoff, and a second retry layer would multiply attempts. Nothing here logs: neither the recipients
/// nor the API key may appear in a log.
/// </summary>
internal sealed class SendGridMailSend(HttpClient http, SendGridOptions settings)
{
    private readonly SendGridClient _client = new(http, new SendGridClientOptions
    {
        ApiKey = settings.ApiKey,
        Host = settings.Host.TrimEnd('/'),
        HttpErrorAsException = false,
    });

    /// <summary>Posts a serialised <see cref="SendGridMessage"/> and reads the answer. Cancelling <paramref name="ct"/>
    /// throws, as it should; SendGrid not answering within <see cref="SendGridOptions.TimeoutSeconds"/> does not.</summary>
    public async Task<SendGridAnswer> PostAsync(string body, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            var response = await _client.RequestAsync(BaseClient.Method.POST, body, urlPath: "mail/send", cancellationToken: timeout.Token);
            return await AnswerAsync(response, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendGridAnswer(new EmailResult(false, Failure: $"SendGrid did not answer within {settings.TimeoutSeconds}s", Transient: true, Unknown: true), null, null, null);
        }
        catch (HttpRequestException ex)
        {
            // The exception's text names the host at most, never a recipient.
            // Failing to connect sent nothing; a connection lost after the request went out may have sent it.
            var beforeSending = ex.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError;
            return new SendGridAnswer(new EmailResult(false, Failure: "SendGrid unreachable: " + ex.Message, Transient: true, Unknown: !beforeSending), null, null, null);
        }
    }

    /// <summary>The message-level parts a single email and a batch share: sender, reply-to, categories, unsubscribe group, sandbox.</summary>
    public static void Envelope(SendGridMessage message, Mailbox from, Mailbox? replyTo, IReadOnlyList<string> categories, int? asmGroupId, bool sandbox)
    {
        message.From = new EmailAddress(from.Email, from.Name);
        if (replyTo is { } reply) message.ReplyTo = new EmailAddress(reply.Email, reply.Name);
        if (categories.Count > 0) message.AddCategories([.. categories]);
        if (asmGroupId is { } group) message.SetAsm(group);
        message.SetSandBoxMode(sandbox);
    }

    /// <summary>Why a message without a sender address is refused before calling SendGrid.</summary>
    public static string NoSender(string storeId) =>
        $"no sender address: set Automation__Stores__{storeId}__FromEmail or Automation__SendGrid__FromEmail";

    private static async Task<SendGridAnswer> AnswerAsync(Response response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var reset = Header(response, "X-RateLimit-Reset");
        DateTimeOffset? resetAt = long.TryParse(reset, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        long? remaining = long.TryParse(Header(response, "X-RateLimit-Remaining"), NumberStyles.None, CultureInfo.InvariantCulture, out var left) ? left : null;
        return new SendGridAnswer(await ResultAsync(), status, remaining, resetAt);

        async Task<EmailResult> ResultAsync()
        {
            // 202 when queued; 200 in sandbox mode, where nothing is delivered and the id may be absent.
            if (response.IsSuccessStatusCode) return new EmailResult(true, Header(response, "X-Message-Id"));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                return new EmailResult(false, Failure: reset is null ? "429 from SendGrid" : $"429 from SendGrid; X-RateLimit-Reset {reset}", Transient: true, RetryAt: resetAt);
            if (status >= 500) return new EmailResult(false, Failure: $"{status} from SendGrid", Transient: true);
            var body = response.Body is null ? "" : await response.Body.ReadAsStringAsync(ct);
            return new EmailResult(false, Failure: $"{status} from SendGrid: {ErrorText(body)}");
        }
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
