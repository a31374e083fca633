using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Queues;

/// <summary>One message the namespace accepted.</summary>
public sealed record QueuedMessage(string MessageId, string SessionId, string Body);

/// <summary>One request as it arrived, with the answer it got and why.</summary>
public sealed record ReceivedRequest(string Method, string Path, string? Authorization, string? ContentType, int BodyBytes,
    IReadOnlyList<QueuedMessage> Messages, int Status, string Reason);

/// <summary>
/// A Service Bus namespace at its wire contract, on a real Kestrel server on a free loopback port.
/// It checks each request as the REST API documents it (Send Message, Send Message Batch, Get
/// Queue) and answers as the service would: 201 when valid, 401 or 400 with the reason otherwise.
/// Expiry is judged by the <see cref="TimeProvider"/> the publisher under test also uses.
/// </summary>
public sealed class ServiceBusListener : IAsyncDisposable
{
    public const int MaxMessageBytes = 256 * 1024;
    public const string BatchMediaType = "application/vnd.microsoft.servicebus.json";
    private const int MaxIdLength = 128;

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly (string Name, string Key)? _sas;
    private readonly Func<string, bool>? _bearerIsValid;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly Lock _gate = new();
    private int _failuresLeft;
    private int _failureStatus;
    private string _failureText = "";

    private ServiceBusListener(WebApplication app, TimeProvider time, string ns, string queue, (string, string)? sas, Func<string, bool>? bearerIsValid)
    {
        (_app, _time, Namespace, QueueName, _sas, _bearerIsValid) = (app, time, ns, queue, sas, bearerIsValid);
    }

    public string Namespace { get; }
    public string QueueName { get; }

    /// <summary>Base address to send to, in place of <c>https://{Namespace}/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Whether GET on the queue finds its description.</summary>
    public bool QueueExists { get; set; } = true;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public IReadOnlyList<QueuedMessage> Messages => [.. _requests.Where(r => r.Status == 201).SelectMany(r => r.Messages)];

    /// <param name="sas">The namespace's SAS rule; null: SAS tokens are refused.</param>
    /// <param name="bearerIsValid">Which Entra tokens the namespace accepts; null: bearer tokens are refused.</param>
    public static async Task<ServiceBusListener> StartAsync(TimeProvider time, (string Name, string Key)? sas = null,
        Func<string, bool>? bearerIsValid = null, string ns = "test-ns.servicebus.windows.net", string queue = "events")
    {
        ServiceBusListener? listener = null;
        var (app, address) = await LoopbackServer.StartAsync(a => a.Run(context => listener!.HandleAsync(context)));
        listener = new ServiceBusListener(app, time, ns, queue, sas, bearerIsValid) { Endpoint = new Uri(address + "/") };
        return listener;
    }

    /// <summary>Answer the next <paramref name="count"/> requests with this status, as a throttled or busy namespace does.</summary>
    public void FailNext(int count, HttpStatusCode status, string? text = null)
    {
        lock (_gate) (_failuresLeft, _failureStatus, _failureText) = (count, (int)status, text ?? $"<Error><Code>{(int)status}</Code><Detail>The server is busy.</Detail></Error>");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var request = http.Request;
        var (status, reason, messages) = InjectedFailure() ?? Check(request, body);
        _requests.Enqueue(new ReceivedRequest(request.Method, request.Path.Value ?? "", request.Headers.Authorization.FirstOrDefault(),
            request.ContentType, body.Length, messages, status, reason));
        http.Response.StatusCode = status;
        if (status == 200 && request.Method == "GET")
        {
            http.Response.ContentType = "application/atom+xml;type=entry;charset=utf-8";
            await http.Response.WriteAsync(reason);
        }
        else if (status != 201)
        {
            await http.Response.WriteAsync(reason.StartsWith('<') ? reason : $"<Error><Code>{status}</Code><Detail>{WebUtility.HtmlEncode(reason)}</Detail></Error>");
        }
    }

    private (int, string, IReadOnlyList<QueuedMessage>)? InjectedFailure()
    {
        lock (_gate)
        {
            if (_failuresLeft == 0) return null;
            _failuresLeft--;
            return (_failureStatus, _failureText, []);
        }
    }

    private (int Status, string Reason, IReadOnlyList<QueuedMessage> Messages) Check(HttpRequest request, byte[] body)
    {
        var path = request.Path.Value ?? "";
        if (AuthorizationProblem(request.Headers.Authorization.FirstOrDefault(), path) is { } denied) return (401, denied, []);
        if (request.Method == "GET" && path.Equals("/" + QueueName, StringComparison.OrdinalIgnoreCase))
            return (200, QueueExists ? QueueEntry() : "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title type=\"text\">Publicly Listed Services</title></feed>", []);
        if (!path.Equals($"/{QueueName}/messages", StringComparison.OrdinalIgnoreCase))
            return (404, $"no entity at {path}", []);
        if (request.Method != "POST") return (405, $"{request.Method} is not how messages are sent", []);
        if (body.Length > MaxMessageBytes) return (413, $"the request is {body.Length} bytes; at most {MaxMessageBytes}", []);
        if (string.IsNullOrEmpty(request.ContentType)) return (400, "no Content-Type", []);
        try
        {
            var (problem, messages) = request.ContentType.StartsWith(BatchMediaType, StringComparison.Ordinal)
                ? CheckBatch(request.ContentType, body)
                : CheckSingle(request.Headers["BrokerProperties"].FirstOrDefault(), body);
            return problem is null ? (201, "created", messages) : (400, problem, []);
        }
        catch (JsonException ex)
        {
            return (400, "malformed JSON: " + ex.Message, []);
        }
    }

    private static (string?, IReadOnlyList<QueuedMessage>) CheckSingle(string? brokerProperties, byte[] body)
    {
        if (brokerProperties is null) return ("no BrokerProperties header; a session queue needs a SessionId", []);
        using var doc = JsonDocument.Parse(brokerProperties);
        var (problem, message) = CheckMessage(doc.RootElement, Encoding.UTF8.GetString(body));
        return (problem, message is null ? [] : [message]);
    }

    private static (string?, IReadOnlyList<QueuedMessage>) CheckBatch(string contentType, byte[] body)
    {
        if (contentType != BatchMediaType) return ($"the batch Content-Type must be {BatchMediaType} without parameters, not '{contentType}'", []);
        using var doc = JsonDocument.Parse(body);
        if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.GetArrayLength() == 0) return ("a batch is a non-empty JSON array", []);
        var messages = new List<QueuedMessage>();
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("Body", out var b) || b.ValueKind != JsonValueKind.String)
                return ("each batch entry needs a Body string", []);
            if (!item.TryGetProperty("BrokerProperties", out var props)) return ("a batch entry has no BrokerProperties; a session queue needs a SessionId", []);
            var (problem, message) = CheckMessage(props, b.GetString()!);
            if (problem is not null) return (problem, []);
            messages.Add(message!);
        }
        return (null, messages);
    }

    private static (string?, QueuedMessage?) CheckMessage(JsonElement props, string body)
    {
        if (props.ValueKind != JsonValueKind.Object) return ("BrokerProperties must be a JSON object", null);
        var messageId = props.TryGetProperty("MessageId", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        var sessionId = props.TryGetProperty("SessionId", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
        if (messageId.Length is 0 or > MaxIdLength) return ($"MessageId must have 1 to {MaxIdLength} characters, not {messageId.Length}", null);
        if (sessionId.Length is 0 or > MaxIdLength) return ($"SessionId must have 1 to {MaxIdLength} characters, not {sessionId.Length}", null);
        if (props.TryGetProperty("PartitionKey", out var pk) && pk.GetString() != sessionId) return ("PartitionKey and SessionId differ", null);
        return (null, new QueuedMessage(messageId, sessionId, body));
    }

    private string? AuthorizationProblem(string? header, string path)
    {
        if (string.IsNullOrEmpty(header)) return "no Authorization header";
        if (header.StartsWith("Bearer ", StringComparison.Ordinal))
            return _bearerIsValid is not null && _bearerIsValid(header["Bearer ".Length..]) ? null : "the bearer token is not valid for this namespace";
        if (!header.StartsWith("SharedAccessSignature ", StringComparison.Ordinal)) return "Authorization is neither Bearer nor SharedAccessSignature";
        if (_sas is not { } rule) return "this namespace has no SAS rule";
        var (name, key) = rule;
        var fields = header["SharedAccessSignature ".Length..].Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!fields.TryGetValue("sr", out var sr) || !fields.TryGetValue("sig", out var sig) || !fields.TryGetValue("se", out var se) || !fields.TryGetValue("skn", out var skn))
            return "the SAS token lacks one of sr, sig, se, skn";
        if (WebUtility.UrlDecode(skn) != name) return "unknown SAS rule";
        if (!long.TryParse(se, NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)) return "se is not Unix seconds";
        if (expiry <= _time.GetUtcNow().ToUnixTimeSeconds()) return "the SAS token has expired";
        // A token for a resource covers the addresses under it, whatever the scheme.
        var resource = StripScheme(WebUtility.UrlDecode(sr)).TrimEnd('/');
        var target = Namespace + path;
        if (!target.Equals(resource, StringComparison.OrdinalIgnoreCase) && !target.StartsWith(resource + "/", StringComparison.OrdinalIgnoreCase))
            return $"the SAS token grants '{resource}', not '{target}'";
        // The signature covers sr exactly as sent (still URL-encoded), a newline, and se.
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(sr + "\n" + se));
        var given = new byte[expected.Length];
        if (!Convert.TryFromBase64String(WebUtility.UrlDecode(sig), given, out var written) || written != given.Length) return "sig is not a base64 HMAC-SHA256";
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "the SAS signature does not verify";
    }

    private static string StripScheme(string uri) => uri.Contains("://", StringComparison.Ordinal) ? uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..] : uri;

    private string QueueEntry() =>
        $"""<entry xmlns="http://www.w3.org/2005/Atom"><title type="text">{QueueName}</title><content type="application/xml"><QueueDescription xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect"><RequiresSession>true</RequiresSession></QueueDescription></content></entry>""";
}
