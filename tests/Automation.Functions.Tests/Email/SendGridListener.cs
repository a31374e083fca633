using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Email;

/// <summary>One request as it arrived: its Authorization, its JSON body (null if not JSON), what broke the contract, and the status it got.</summary>
public sealed record MailSendRequest(string Method, string Path, string? Authorization, JsonNode? Body, IReadOnlyList<string> Violations, int Status);

/// <summary>
/// SendGrid's <c>POST /v3/mail/send</c> at its documented v3 contract, on a real Kestrel server on a free loopback
/// port. Requests that break the contract get 401, 413 or 400 with SendGrid's error shape and are kept with their
/// violations; valid ones get the next scripted answer (an error, a 429 or an acceptance with rate-limit headers, a
/// dropped connection), else 202 with an <c>X-Message-Id</c> (200 in sandbox mode).
/// </summary>
public sealed class SendGridListener : IAsyncDisposable
{
    // Sources: "Limitations" (docs.sendgrid.com/api-reference/mail-send/limitations), "Errors"
    // (twilio.com/docs/sendgrid/api-reference/mail-send/errors), "Personalizations"
    // (twilio.com/docs/sendgrid/for-developers/sending-email/personalizations) and the v3 Mail Send OpenAPI spec
    // (github.com/twilio/sendgrid-oai, spec/json/tsg_mail_v3.json).

    /// <summary>Personalizations: "You may not include more than 1000 personalizations per API request" (Personalizations; spec maxItems 1000).</summary>
    public const int MaxPersonalizations = 1000;
    /// <summary>"The total number of recipients must be no more than 1000 … to, cc, and bcc … across each object" in personalizations (Limitations).</summary>
    public const int MaxRecipients = 1000;
    /// <summary>"maxItems: 10", "A category name cannot exceed 255 characters" (spec, categories).</summary>
    public const int MaxCategories = 10;
    public const int MaxCategoryLength = 255;
    /// <summary>"This field may not exceed 10,000 bytes" (spec, personalizations[].custom_args); "Total custom_args size may
    /// not exceed 10,000 bytes" (spec, custom_args). Counted per personalization, message-level args included.</summary>
    public const int MaxCustomArgsBytes = 10_000;
    /// <summary>"The total size of your email, including attachments, must be less than 30MB" (Limitations); SendGrid answers
    /// 413 "content too large" (spec). Read as 30,000,000 bytes of body, the stricter reading of MB.</summary>
    public const int MaxBodyBytes = 30_000_000;
    /// <summary>"You may not override the following headers" (spec, headers and personalizations[].headers).</summary>
    private static readonly string[] ReservedHeaders = ["x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type",
        "content-transfer-encoding", "to", "from", "subject", "reply-to", "cc", "bcc"];

    private readonly WebApplication _app;
    private readonly string _apiKey;
    private readonly ConcurrentQueue<MailSendRequest> _requests = new();
    private readonly ConcurrentQueue<Func<HttpResponse, JsonNode?, Task<int>>> _answers = new();
    private int _sent;

    private SendGridListener(WebApplication app, string apiKey) => (_app, _apiKey) = (app, apiKey);

    /// <summary>Host to configure in place of <c>https://api.sendgrid.com</c>.</summary>
    public string Host { get; private set; } = null!;

    public IReadOnlyList<MailSendRequest> Requests => [.. _requests];

    public IReadOnlyList<string> Violations => [.. _requests.SelectMany(r => r.Violations)];

    public static async Task<SendGridListener> StartAsync(string apiKey)
    {
        SendGridListener? listener = null;
        var (app, address) = await LoopbackServer.StartAsync(a => a.Run(context => listener!.HandleAsync(context)));
        listener = new SendGridListener(app, apiKey) { Host = address };
        return listener;
    }

    private readonly ConcurrentDictionary<string, bool> _refusedAddresses = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Refuse every request that sends to this address (400 naming its personalization), as SendGrid does for an address it deems invalid.</summary>
    public void RefuseAddress(string email) => _refusedAddresses[email] = true;

    private int? RefusedPersonalization(JsonNode? json)
    {
        if (_refusedAddresses.IsEmpty || json?["personalizations"] is not JsonArray personalizations) return null;
        for (var i = 0; i < personalizations.Count; i++)
            if (personalizations[i]?["to"] is JsonArray to && to.Any(t => t?["email"]?.GetValue<string>() is { } e && _refusedAddresses.ContainsKey(e)))
                return i;
        return null;
    }

    /// <summary>Answer the next valid request with 400 and one error, as SendGrid does for content it refuses.</summary>
    public void AnswerBadRequest(string message, string? field) =>
        _answers.Enqueue((r, _) => ErrorAsync(r, 400, message, field));

    /// <summary>Answer the next valid request with 429 and <c>X-RateLimit-Remaining: 0</c>, with <c>X-RateLimit-Reset</c>
    /// (Unix seconds) when given, as SendGrid's Rate Limits page shows.</summary>
    public void AnswerTooManyRequests(long? reset) => _answers.Enqueue((r, _) =>
    {
        RateLimit(r, 0, reset);
        return ErrorAsync(r, 429, "too many requests", null);
    });

    /// <summary>Accept the next valid request as usual, reporting the rate limit's <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset</c> (Unix seconds).</summary>
    public void AnswerAcceptedWithRateLimit(int remaining, long reset) => _answers.Enqueue((r, json) =>
    {
        RateLimit(r, remaining, reset);
        return Task.FromResult(Accept(r, json));
    });

    /// <summary>Answer the next valid request with this 5xx status.</summary>
    public void AnswerServerError(HttpStatusCode status = HttpStatusCode.InternalServerError) =>
        _answers.Enqueue((r, _) => ErrorAsync(r, (int)status, "internal error", null));

    /// <summary>Read the next valid request, then drop the connection without an answer (the request may have been sent).</summary>
    public void AnswerByDroppingTheConnection() => _answers.Enqueue((r, _) =>
    {
        r.HttpContext.Abort();
        return Task.FromResult(0);
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        // Kestrel stops reading at 30,000,000 bytes by default; SendGrid's own limit is checked below instead.
        http.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = null;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var authorization = request.Headers.Authorization.FirstOrDefault();
        var (status, json, violations) = buffer.Length >= MaxBodyBytes
            ? (413, null, [$"content too large: the request may take less than {MaxBodyBytes} bytes, not {buffer.Length}"])
            : Check(request, authorization, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        if (violations.Count > 0)
        {
            await ErrorAsync(http.Response, status, string.Join("; ", violations), null);
        }
        else if (RefusedPersonalization(json) is { } refused)
        {
            // SendGrid validates each recipient and refuses the whole request, naming the personalization.
            status = await ErrorAsync(http.Response, 400, "Does not contain a valid address.", $"personalizations.{refused}.to.0.email");
        }
        else if (_answers.TryDequeue(out var answer))
        {
            status = await answer(http.Response, json);
        }
        else
        {
            status = Accept(http.Response, json);
        }
        _requests.Enqueue(new MailSendRequest(request.Method, request.Path.Value ?? "", authorization, json, violations, status));
    }

    private int Accept(HttpResponse response, JsonNode? json)
    {
        var sandbox = json?["mail_settings"]?["sandbox_mode"]?["enable"]?.GetValue<bool>() == true;
        // Sandbox mode validates and delivers nothing; the sender must not count on an id there.
        var status = sandbox ? 200 : 202;
        if (!sandbox) response.Headers["X-Message-Id"] = $"sg-{Interlocked.Increment(ref _sent)}";
        response.StatusCode = status;
        return status;
    }

    private static void RateLimit(HttpResponse response, int remaining, long? reset)
    {
        response.Headers["X-RateLimit-Limit"] = "600";
        response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        if (reset is { } s) response.Headers["X-RateLimit-Reset"] = s.ToString(CultureInfo.InvariantCulture);
    }

    private static async Task<int> ErrorAsync(HttpResponse response, int status, string message, string? field)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["field"] = field, ["help"] = null }),
        }.ToJsonString());
        return status;
    }

    private (int Status, JsonNode? Body, List<string> Violations) Check(HttpRequest request, string? authorization, string body)
    {
        var violations = new List<string>();
        if (request.Method != "POST" || request.Path.Value != "/v3/mail/send")
            return (404, null, [$"no {request.Method} {request.Path}"]);
        if (authorization != "Bearer " + _apiKey)
            return (401, null, [authorization is null ? "no Authorization header" : "the provided authorization grant is invalid, expired, or revoked"]);
        if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            violations.Add($"Content-Type must be application/json, not '{request.ContentType}'");
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            return (400, null, ["malformed JSON: " + ex.Message]);
        }
        if (json is not JsonObject mail) return (400, json, ["the body must be a JSON object"]);
        CheckPersonalizations(mail, violations);
        if (string.IsNullOrEmpty(Text(mail["from"]?["email"]))) violations.Add("from.email is required");
        var templated = Text(mail["template_id"]) is { Length: > 0 };
        if (!templated && string.IsNullOrEmpty(Text(mail["subject"]))
            && mail["personalizations"] is JsonArray ps && ps.Any(p => string.IsNullOrEmpty(Text(p?["subject"]))))
            violations.Add("subject is required unless every personalization has one or template_id is set");
        if (Text(mail["template_id"]) is { } templateId && !templateId.StartsWith("d-", StringComparison.Ordinal))
            violations.Add("template_id must be a dynamic template id starting with d-");
        if (mail["template_id"] is { } tid && tid.GetValueKind() != JsonValueKind.String) violations.Add("template_id must be a string");
        CheckContent(mail["content"], templated, violations);
        CheckAsm(mail["asm"], violations);
        if (mail["reply_to"] is { } reply && string.IsNullOrEmpty(Text(reply["email"]))) violations.Add("reply_to.email is required when reply_to is set");
        CheckCategories(mail["categories"], violations);
        CheckHeaders(mail["headers"], "headers", violations);
        if (mail["mail_settings"]?["sandbox_mode"]?["enable"] is { } enable && enable.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            violations.Add("mail_settings.sandbox_mode.enable must be a boolean");
        return (400, json, [.. violations.Distinct()]);
    }

    private static void CheckPersonalizations(JsonObject mail, List<string> violations)
    {
        if (mail["personalizations"] is not JsonArray personalizations || personalizations.Count is 0 or > MaxPersonalizations)
        {
            violations.Add($"personalizations must be an array of 1 to {MaxPersonalizations}");
            return;
        }
        var recipients = 0;
        var addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var messageArgs = ArgsBytes(mail["custom_args"], violations);
        var templated = Text(mail["template_id"]) is { Length: > 0 };
        foreach (var p in personalizations)
        {
            // "The to parameter is required for personalizations"; each to object "must at least have an email address" (Errors).
            if (p?["to"] is not JsonArray to || to.Count == 0 || to.Any(t => string.IsNullOrEmpty(Text(t?["email"]))))
                violations.Add("each personalization needs a non-empty 'to' of addresses with an email");
            recipients += Count(p?["to"]) + Count(p?["cc"]) + Count(p?["bcc"]);
            foreach (var address in new[] { "to", "cc", "bcc" }.SelectMany(list => p?[list] as JsonArray ?? []))
            {
                // "Each unique email address in the personalizations array should only be included once" (Errors).
                if (Text(address?["email"]) is { Length: > 0 } email && !addresses.Add(email))
                    violations.Add("an email address is included more than once in personalizations");
                // "The to.name, cc.name, and bcc.name personalizations cannot include either the ; or , characters" (Limitations).
                if (Text(address?["name"]) is { } name && name.AsSpan().IndexOfAny(';', ',') >= 0)
                    violations.Add("a recipient's name may not include ; or ,");
            }
            // "You may not override the following headers" (spec, personalizations[].headers).
            CheckHeaders(p?["headers"], "personalizations.headers", violations);
            if (p?["dynamic_template_data"] is { } data && data is not JsonObject) violations.Add("dynamic_template_data must be an object");
            // Ours, stricter than SendGrid (which renders a dynamic template with no data, blank fields and all): with a
            // template_id every personalization must bring the data its recipient's copy is rendered from.
            if (templated && p?["dynamic_template_data"] is null) violations.Add("each personalization needs its dynamic_template_data when template_id is set");
            if (messageArgs + ArgsBytes(p?["custom_args"], violations) > MaxCustomArgsBytes)
                violations.Add($"custom_args may total at most {MaxCustomArgsBytes} bytes");
        }
        if (recipients > MaxRecipients) violations.Add($"at most {MaxRecipients} recipients in all, not {recipients}");
    }

    private static void CheckContent(JsonNode? content, bool templated, List<string> violations)
    {
        if (content is null)
        {
            if (!templated) violations.Add("content is required unless template_id is set");
            return;
        }
        if (content is not JsonArray parts || parts.Count == 0)
        {
            violations.Add("content must be a non-empty array");
            return;
        }
        if (parts.Any(c => string.IsNullOrEmpty(Text(c?["type"])) || string.IsNullOrEmpty(Text(c?["value"]))))
            violations.Add("each content needs a type and a non-empty value");
        var types = parts.Select(c => Text(c?["type"])).ToList();
        if (types.Count > 1 && types.Contains("text/plain") && types[0] != "text/plain")
            violations.Add("text/plain must come first when there are several contents");
    }

    private static void CheckCategories(JsonNode? categories, List<string> violations)
    {
        if (categories is null) return;
        if (categories is not JsonArray list || list.Any(c => c?.GetValueKind() != JsonValueKind.String))
        {
            violations.Add("categories must be an array of strings");
            return;
        }
        if (list.Count > MaxCategories) violations.Add($"at most {MaxCategories} categories, not {list.Count}");
        if (list.Any(c => ((string)c!).Length is 0 or > MaxCategoryLength)) violations.Add($"each category has 1 to {MaxCategoryLength} characters");
        if (list.Select(c => (string)c!).Distinct(StringComparer.Ordinal).Count() != list.Count) violations.Add("categories must be unique");
    }

    private static void CheckHeaders(JsonNode? headers, string where, List<string> violations)
    {
        if (headers is null) return;
        if (headers is not JsonObject map)
        {
            violations.Add($"{where} must be an object of header names to strings");
            return;
        }
        foreach (var (name, value) in map)
        {
            if (ReservedHeaders.Contains(name.ToLowerInvariant())) violations.Add($"{where} may not set the reserved header {name}");
            if (value?.GetValueKind() != JsonValueKind.String) violations.Add($"{where}.{name} must be a string");
        }
    }

    private static void CheckAsm(JsonNode? asm, List<string> violations)
    {
        if (asm is null) return;
        if (asm["group_id"] is not JsonValue id || id.GetValueKind() != JsonValueKind.Number || !id.TryGetValue<int>(out var group) || group <= 0)
            violations.Add("asm.group_id must be a positive integer");
        if (asm["groups_to_display"] is JsonArray display && display.Count > 25) violations.Add("asm.groups_to_display may list at most 25 groups");
    }

    private static int ArgsBytes(JsonNode? args, List<string> violations)
    {
        if (args is null) return 0;
        // "The unique_args object only accepts string values" (Unique Arguments page; custom_args are its v3 name), and
        // SendGrid answers "Invalid type. Expected: object" for anything but an object.
        if (args is not JsonObject map || map.Any(a => a.Value?.GetValueKind() != JsonValueKind.String))
        {
            violations.Add("custom_args must map names to strings");
            return 0;
        }
        return map.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount((string)a.Value!));
    }

    private static int Count(JsonNode? list) => list is JsonArray a ? a.Count : 0;

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? (string)node! : null;
}
