using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Automation.Core.Customers;
using Automation.Core.Events;
using Azure.Core;
using Azure.Identity;

namespace Automation.Functions.Queues;

/// <summary>
/// Publishes events to the Service Bus queue through its REST API: the Functions output binding
/// cannot set a session id and the Service Bus SDK cannot be restored here. The session id is the
/// customer partition (one customer's events are consumed in order, one at a time); the message id
/// is the event id (duplicate detection). One instance per app: it caches its token.
/// </summary>
internal sealed class ServiceBusEventQueue : IEventQueue
{
    public const string EntraScope = "https://servicebus.azure.net/.default";
    private const string BatchMediaType = "application/vnd.microsoft.servicebus.json";
    private const int MaxIdLength = 128;
    private const int MaxErrorText = 500;
    private static readonly TimeSpan SasLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly HttpClient _http;
    private readonly ServiceBusOptions _options;
    private readonly TokenCredential? _credential;
    private readonly TimeProvider _time;
    private readonly Uri _queueUri;
    private readonly Uri _messagesUri;
    private readonly string _resource;
    private CachedAuthorization? _authorization;

    public ServiceBusEventQueue(HttpClient http, ServiceBusOptions options, TokenCredential? credential, TimeProvider time)
    {
        var ns = options.Namespace.Contains("://", StringComparison.Ordinal) ? new Uri(options.Namespace).Host : options.Namespace.Trim().TrimEnd('/');
        if (ns.Length == 0 && string.IsNullOrWhiteSpace(options.Endpoint))
            throw new ArgumentException("Automation__ServiceBus__Namespace is empty; set it to e.g. myns.servicebus.windows.net.", nameof(options));
        if (string.IsNullOrWhiteSpace(options.QueueName))
            throw new ArgumentException("Automation__ServiceBus__QueueName is empty.", nameof(options));
        if (!options.UsesSas && credential is null)
            throw new ArgumentException("Service Bus needs a TokenCredential (managed identity) or Automation__ServiceBus__SasKeyName and SasKey.", nameof(credential));

        var queue = options.QueueName.Trim('/');
        var serviceBase = ns.Length > 0 ? new Uri($"https://{ns}/") : null;
        var baseUri = string.IsNullOrWhiteSpace(options.Endpoint) ? serviceBase! : new Uri(options.Endpoint.TrimEnd('/') + "/");
        (_http, _options, _credential, _time) = (http, options, credential, time);
        _queueUri = new Uri(baseUri, queue);
        _messagesUri = new Uri(baseUri, queue + "/messages");
        // A SAS token names the Service Bus entity it grants, not the address we send to (which tests override).
        _resource = new Uri(serviceBase ?? baseUri, queue).AbsoluteUri;
    }

    public async Task PublishAsync(IReadOnlyList<CustomerEvent> events, CancellationToken ct)
    {
        // Every event is checked before the first request, so a refused one never leaves the others half queued.
        var messages = events.Select(ToMessage).ToList();
        // One request per session: a partitioned queue refuses a batch that spans session ids. Sessions go
        // side by side (a sweep's wake-ups are one session each), each session's chunks in order.
        var sessions = messages.GroupBy(m => m.SessionId, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        await Parallel.ForEachAsync(sessions, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = ct }, async (session, token) =>
        {
            foreach (var chunk in Chunks(session))
                await SendAsync(chunk, token);
        });
    }

    public async Task<string?> CheckAsync(CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_queueUri.AbsoluteUri + "?api-version=2017-04"));
            using var response = await CallAsync(request, ct);
            // Reading the description needs Manage rights; a send-only identity is refused, which still
            // proves the namespace answers. A wrong key shows up on the first send instead.
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) return null;
            var text = await response.Content.ReadAsStringAsync(ct);
            // A queue that does not exist answers 200 with an empty Atom feed, not 404.
            if (response.StatusCode == HttpStatusCode.OK)
                return text.Contains("QueueDescription", StringComparison.Ordinal) ? null : $"Service Bus queue '{_options.QueueName}' does not exist.";
            return $"Service Bus answered {(int)response.StatusCode} for queue '{_options.QueueName}': {Excerpt(text)}";
        }
        catch (ServiceBusPublishException ex)
        {
            return ex.Message;
        }
    }

    private Message ToMessage(CustomerEvent e)
    {
        var sessionId = CustomerKey.Partition(e.StoreId, e.CustomerKey);
        if (e.Id.Length is 0 or > MaxIdLength)
            throw Refused(e, $"its id has {e.Id.Length} characters; a message id takes 1 to {MaxIdLength}");
        if (sessionId.Length > MaxIdLength)
            throw Refused(e, $"its session id (store id, '|', customer key) has {sessionId.Length} characters; Service Bus takes at most {MaxIdLength}");
        var body = EventJson.Serialize(e);
        var properties = JsonSerializer.Serialize(new BrokerProperties(e.Id, sessionId));
        // Broker properties travel in the message header, which counts towards the size limit.
        var size = body.Length + Encoding.UTF8.GetByteCount(properties);
        if (size > _options.MaxMessageBytes)
            throw Refused(e, $"it is {size} bytes with its broker properties; the queue takes at most {_options.MaxMessageBytes}");
        return new Message(sessionId, body, properties, BatchEntry(e.Id, sessionId, body));
    }

    private static EventRefusedException Refused(CustomerEvent e, string why) =>
        new(e.Id, $"Event {e.Id} of store {e.StoreId} cannot be queued: {why}.");

    /// <summary>One session's messages in batches that fit the size limit (a batch counts as one message).</summary>
    private IEnumerable<List<Message>> Chunks(List<Message> session)
    {
        if (!_options.BatchSend)
        {
            foreach (var m in session) yield return [m];
            yield break;
        }
        var chunk = new List<Message>();
        var size = 2; // the array's brackets
        foreach (var m in session)
        {
            if (chunk.Count > 0 && size + m.BatchEntry.Length + 1 > _options.MaxMessageBytes)
            {
                yield return chunk;
                (chunk, size) = ([], 2);
            }
            chunk.Add(m);
            size += m.BatchEntry.Length + 1;
        }
        if (chunk.Count > 0) yield return chunk;
    }

    private async Task SendAsync(List<Message> chunk, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _messagesUri);
        if (chunk.Count == 1)
        {
            request.Content = new ByteArrayContent(chunk[0].Body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("BrokerProperties", chunk[0].BrokerProperties);
        }
        else
        {
            request.Content = new ByteArrayContent(BatchBody(chunk));
            // The batch contract wants the bare media type, without a charset parameter.
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(BatchMediaType);
        }
        using var response = await CallAsync(request, ct);
        // 201 is documented; any 2xx means the service took the messages, and retrying would only duplicate them.
        if (response.IsSuccessStatusCode) return;
        var text = Excerpt(await response.Content.ReadAsStringAsync(ct));
        var status = (int)response.StatusCode;
        var what = $"Service Bus refused {chunk.Count} event(s) for queue '{_options.QueueName}' with {status} {response.StatusCode}";
        throw status switch
        {
            401 or 403 => new ServiceBusPublishException(
                $"{what}: an authorization failure (or, for 403, a full queue or oversize message). Check the app identity's " +
                $"'Azure Service Bus Data Sender' role or Automation__ServiceBus__SasKeyName/SasKey. {text}", response.StatusCode, isTransient: false),
            408 or 429 or 500 or 502 or 503 or 504 => new ServiceBusPublishException(
                $"{what}: throttled or busy, try again later. {text}", response.StatusCode, isTransient: true),
            410 => new ServiceBusPublishException($"{what}: the queue does not exist. {text}", response.StatusCode, isTransient: false),
            _ => new ServiceBusPublishException($"{what}. {text}", response.StatusCode, isTransient: false),
        };
    }

    private async Task<HttpResponseMessage> CallAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.TryAddWithoutValidation("Authorization", await AuthorizationAsync(ct));
        var timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds);
        using var timer = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ServiceBusPublishException($"Service Bus did not answer within {_options.TimeoutSeconds} s ({request.Method} {_options.QueueName}).", null, isTransient: true);
        }
        catch (HttpRequestException ex)
        {
            throw new ServiceBusPublishException($"Service Bus is unreachable ({request.Method} {_options.QueueName}): {ex.Message}", null, isTransient: true, ex);
        }
    }

    private async ValueTask<string> AuthorizationAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var cached = Volatile.Read(ref _authorization);
        if (cached is not null && now < cached.RenewAt) return cached.Header;
        // Callers racing past an expiring token each fetch one; both are valid, so no lock is needed.
        cached = _options.UsesSas ? SignSas(now) : await EntraTokenAsync(ct);
        Volatile.Write(ref _authorization, cached);
        return cached.Header;
    }

    /// <summary>The documented SAS token: HMAC-SHA256, keyed with the key's UTF-8 text, over the URL-encoded
    /// resource, a newline and the expiry in Unix seconds; sr carries the resource exactly as signed.</summary>
    private CachedAuthorization SignSas(DateTimeOffset now)
    {
        var expiry = now.Add(SasLifetime);
        var se = expiry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var sr = WebUtility.UrlEncode(_resource);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(_options.SasKey!), Encoding.UTF8.GetBytes(sr + "\n" + se));
        var header = $"SharedAccessSignature sr={sr}&sig={WebUtility.UrlEncode(Convert.ToBase64String(signature))}&se={se}&skn={WebUtility.UrlEncode(_options.SasKeyName)}";
        return new CachedAuthorization(header, expiry - RefreshMargin);
    }

    private async Task<CachedAuthorization> EntraTokenAsync(CancellationToken ct)
    {
        try
        {
            var token = await _credential!.GetTokenAsync(new TokenRequestContext([EntraScope]), ct);
            return new CachedAuthorization("Bearer " + token.Token, token.ExpiresOn - RefreshMargin);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // No identity at all will not fix itself; a token endpoint that failed once may answer next time.
            throw new ServiceBusPublishException($"No Entra token for Service Bus ({EntraScope}): {ex.Message.Split('\n')[0]}", null,
                isTransient: ex is not CredentialUnavailableException, ex);
        }
    }

    private static byte[] BatchEntry(string messageId, string sessionId, byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            // The batch format carries each body as a JSON string; ours is UTF-8 JSON text, so it arrives unchanged.
            json.WriteString("Body", body.AsSpan());
            json.WriteStartObject("BrokerProperties");
            json.WriteString("MessageId", messageId);
            json.WriteString("SessionId", sessionId);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static byte[] BatchBody(List<Message> chunk)
    {
        using var buffer = new MemoryStream();
        buffer.WriteByte((byte)'[');
        for (var i = 0; i < chunk.Count; i++)
        {
            if (i > 0) buffer.WriteByte((byte)',');
            buffer.Write(chunk[i].BatchEntry);
        }
        buffer.WriteByte((byte)']');
        return buffer.ToArray();
    }

    private static string Excerpt(string text) =>
        text.Length <= MaxErrorText ? text.Trim() : string.Concat(text.AsSpan(0, MaxErrorText).Trim(), "…");

    private sealed record Message(string SessionId, byte[] Body, string BrokerProperties, byte[] BatchEntry);

    private sealed record BrokerProperties(string MessageId, string SessionId);

    private sealed record CachedAuthorization(string Header, DateTimeOffset RenewAt);
}

/// <summary>Service Bus did not take the events. When <see cref="IsTransient"/>, the same request may
/// succeed later (throttled, busy, timed out, unreachable); otherwise something must change first.
/// The message never holds a key or token.</summary>
internal sealed class ServiceBusPublishException(string message, HttpStatusCode? status, bool isTransient, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;

    public bool IsTransient { get; } = isTransient;
}
