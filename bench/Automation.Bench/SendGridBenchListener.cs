using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Automation.Bench;

/// <summary>What the listener received since it started or was last reset.</summary>
/// <param name="Violations">Requests that broke the contract (answered 4xx); <paramref name="FirstViolation"/> says how.</param>
/// <param name="Duplicates">Recipients mailed more than once (across requests).</param>
/// <param name="NotMarketable">Recipients without an address or marketing consent in the generated store.</param>
/// <param name="Suppressed">Recipients whose address is on the store's suppression list.</param>
/// <param name="Foreign">Recipients at an address the generator did not make.</param>
internal sealed record SendGridCounts(
    long Requests, long Personalizations, long BodyBytes, long Violations, string? FirstViolation,
    long Duplicates, long NotMarketable, long Suppressed, long Foreign, TimeSpan HandlerTime);

/// <summary>
/// SendGrid's <c>POST /v3/mail/send</c> on a loopback Kestrel, for the broadcast bench: it checks the contract the
/// tests' <c>SendGridListener</c> checks (Bearer key, JSON, 1 to 1,000 personalizations of 1,000 recipients at most, each
/// address once, a <c>d-</c> template with each personalization's data, the 30 MB limit), answers 202 with an
/// <c>X-Message-Id</c> and rate-limit headers, and counts. Unlike the tests' listener it keeps no request: a million
/// recipients are about a thousand 1.1 MB bodies, which kept as JSON trees would add gigabytes to the very process
/// whose peak memory the bench measures. Recipients are checked against the generated store instead, by customer
/// number (a bit each): mailed twice, without consent, or suppressed.
/// </summary>
internal sealed class SendGridBenchListener : IAsyncDisposable
{
    public const int MaxPersonalizations = 1000, MaxBodyBytes = 30_000_000;

    /// <summary>Reported in <c>X-RateLimit-Limit</c>, per second; the bench never reaches it, so the sender never waits.</summary>
    private const int RateLimit = 10_000;

    private readonly WebApplication _app;
    private readonly string _apiKey;
    private readonly object _gate = new();
    private SeedTally? _store;
    private int[] _mailed = [];
    private long _requests, _personalizations, _bytes, _violations, _duplicates, _notMarketable, _suppressed, _foreign, _handlerTicks, _sent;
    private string? _firstViolation;
    private (long Second, int Count) _window;

    private SendGridBenchListener(WebApplication app, string apiKey) => (_app, _apiKey) = (app, apiKey);

    /// <summary>Base address to configure as <c>Automation:SendGrid:Host</c>.</summary>
    public string Host { get; private set; } = "";

    public static async Task<SendGridBenchListener> StartAsync(string apiKey, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var listener = new SendGridBenchListener(app, apiKey);
        app.Run(listener.HandleAsync);
        await app.StartAsync(ct);
        listener.Host = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return listener;
    }

    /// <summary>Checks recipients against this store from now on, and starts the counts again.</summary>
    public void Expect(SeedTally store)
    {
        _store = store;
        Reset();
    }

    public void Reset()
    {
        lock (_gate)
        {
            _mailed = new int[((_store?.Customers ?? 0) >> 5) + 1];
            _requests = _personalizations = _bytes = _violations = _duplicates = _notMarketable = _suppressed = _foreign = _handlerTicks = 0;
            _firstViolation = null;
        }
    }

    public SendGridCounts Counts()
    {
        lock (_gate)
            return new(_requests, _personalizations, _bytes, _violations, _firstViolation, _duplicates, _notMarketable, _suppressed, _foreign,
                Stopwatch.GetElapsedTime(0, _handlerTicks));
    }

    private async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        http.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = null;
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        var (status, violation, recipients) = Check(http.Request, body);
        lock (_gate)
        {
            _requests++;
            _bytes += body.Length;
            if (violation is not null)
            {
                _violations++;
                _firstViolation ??= violation;
            }
            else
            {
                _personalizations += recipients.Count;
                foreach (var email in recipients) Tick(email);
            }
        }
        http.Response.StatusCode = status;
        if (status == 202)
        {
            var second = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            int remaining;
            lock (_gate)
            {
                _window = _window.Second == second ? (second, _window.Count + 1) : (second, 1);
                remaining = Math.Max(0, RateLimit - _window.Count);
            }
            http.Response.Headers["X-Message-Id"] = "bench-" + Interlocked.Increment(ref _sent).ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-RateLimit-Limit"] = RateLimit.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-RateLimit-Reset"] = (second + 1).ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(JsonSerializer.Serialize(new { errors = new[] { new { message = violation, field = (string?)null, help = (string?)null } } }));
        }
        Interlocked.Add(ref _handlerTicks, Stopwatch.GetTimestamp() - started);
    }

    /// <summary>Under the lock: one recipient, checked against the generated store.</summary>
    private void Tick(string email)
    {
        var n = BenchCustomers.Number(email);
        if (_store is not { } store || n < 1 || n > store.Customers)
        {
            _foreign++;
            return;
        }
        var (word, bit) = (n >> 5, 1 << (n & 31));
        if ((_mailed[word] & bit) != 0) _duplicates++;
        _mailed[word] |= bit;
        if (!store.Marketable[n]) _notMarketable++;
        if (store.OnSuppressionList[n]) _suppressed++;
    }

    private (int Status, string? Violation, List<string> Recipients) Check(HttpRequest request, MemoryStream body)
    {
        List<string> none = [];
        if (request.Method != "POST" || request.Path.Value != "/v3/mail/send") return (404, $"no {request.Method} {request.Path}", none);
        if (request.Headers.Authorization.FirstOrDefault() != "Bearer " + _apiKey) return (401, "the provided authorization grant is invalid, expired, or revoked", none);
        if (body.Length >= MaxBodyBytes) return (413, $"content too large: {body.Length} bytes", none);
        if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true) return (400, $"Content-Type is '{request.ContentType}'", none);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length));
        }
        catch (JsonException ex)
        {
            return (400, "malformed JSON: " + ex.Message, none);
        }
        using (json)
        {
            var mail = json.RootElement;
            if (mail.ValueKind != JsonValueKind.Object) return (400, "the body must be a JSON object", none);
            if (!mail.TryGetProperty("from", out var from) || Text(from, "email") is not { Length: > 0 }) return (400, "from.email is required", none);
            var template = Text(mail, "template_id");
            if (template is not null && !template.StartsWith("d-", StringComparison.Ordinal)) return (400, "template_id must start with d-", none);
            if (template is null && !mail.TryGetProperty("content", out _)) return (400, "content is required unless template_id is set", none);
            if (!mail.TryGetProperty("personalizations", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > MaxPersonalizations)
                return (400, $"personalizations must be an array of 1 to {MaxPersonalizations}", none);
            var recipients = new List<string>(list.GetArrayLength());
            var unique = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in list.EnumerateArray())
            {
                if (!p.TryGetProperty("to", out var to) || to.ValueKind != JsonValueKind.Array || to.GetArrayLength() == 0)
                    return (400, "each personalization needs a non-empty 'to'", none);
                if (template is not null && (!p.TryGetProperty("dynamic_template_data", out var data) || data.ValueKind != JsonValueKind.Object))
                    return (400, "each personalization needs its dynamic_template_data when template_id is set", none);
                foreach (var address in to.EnumerateArray())
                {
                    if (Text(address, "email") is not { Length: > 0 } email) return (400, "each recipient needs an email", none);
                    if (!unique.Add(email)) return (400, "an email address is included more than once in personalizations", none);
                    recipients.Add(email);
                }
                if (p.TryGetProperty("cc", out _) || p.TryGetProperty("bcc", out _)) return (400, "the bench expects no cc or bcc", none);
            }
            if (recipients.Count > MaxPersonalizations) return (400, $"at most {MaxPersonalizations} recipients in all, not {recipients.Count}", none);
            return (202, null, recipients);
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
