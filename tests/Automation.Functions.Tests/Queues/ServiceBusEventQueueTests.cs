using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Functions.Queues;
using Azure.Core;

namespace Automation.Functions.Tests.Queues;

/// <summary>The Service Bus REST publisher against a listener that checks the documented wire contract.</summary>
public sealed class ServiceBusEventQueueTests : IAsyncLifetime, IDisposable
{
    private const string SasName = "send-only";
    private const string SasKey = "dGVzdC1rZXktbm90LWEtcmVhbC1vbmUtMzItYnl0ZXM=";
    private static readonly DateTimeOffset Start = new(2025, 11, 3, 9, 0, 0, TimeSpan.Zero);

    private readonly ManualTime _time = new(Start);
    private readonly HttpClient _http = new();

    /// <summary>A namespace with the test SAS rule; xunit makes one per test.</summary>
    private ServiceBusListener _bus = null!;

    public async Task InitializeAsync() => _bus = await ServiceBusListener.StartAsync(_time, sas: (SasName, SasKey));

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task publishes_event_with_session_id_of_customer_partition()
    {
        var e = Event("shopify:order:1001", "id:42");

        await Queue().PublishAsync([e], CancellationToken.None);

        var request = Assert.Single(_bus.Requests);
        Assert.Equal(201, request.Status);
        Assert.Equal("application/json", request.ContentType);
        var message = Assert.Single(request.Messages);
        Assert.Equal(CustomerKey.Partition("demo-store", "id:42"), message.SessionId);
        Assert.Equal(e.Id, message.MessageId);
        Assert.Equal(Encoding.UTF8.GetString(EventJson.Serialize(e)), message.Body);
    }

    [Fact]
    public async Task sas_token_signs_the_queue_resource_and_verifies()
    {

        await Queue().PublishAsync([Event("e-1")], CancellationToken.None);

        var request = Assert.Single(_bus.Requests);
        Assert.Equal(201, request.Status);
        var expiry = Start.AddHours(1).ToUnixTimeSeconds();
        Assert.StartsWith("SharedAccessSignature sr=https%3A%2F%2Ftest-ns.servicebus.windows.net%2Fevents&sig=", request.Authorization, StringComparison.Ordinal);
        Assert.EndsWith($"&se={expiry}&skn={SasName}", request.Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task sas_token_is_renewed_five_minutes_before_it_expires()
    {
        var queue = Queue();

        await queue.PublishAsync([Event("e-1")], CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(54));
        await queue.PublishAsync([Event("e-2")], CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        await queue.PublishAsync([Event("e-3")], CancellationToken.None);

        var tokens = _bus.Requests.Select(r => r.Authorization).ToList();
        Assert.All(_bus.Requests, r => Assert.Equal(201, r.Status));
        Assert.Equal(tokens[0], tokens[1]);
        Assert.NotEqual(tokens[1], tokens[2]);
    }

    [Fact]
    public async Task wrong_sas_key_fails_as_authorization_error_without_revealing_the_key()
    {
        var wrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktMzI=";

        var failure = await Assert.ThrowsAsync<ServiceBusPublishException>(() =>
            Queue(o => o.SasKey = wrongKey).PublishAsync([Event("e-1")], CancellationToken.None));

        Assert.Equal(401, Assert.Single(_bus.Requests).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, failure.Status);
        Assert.False(failure.IsTransient);
        Assert.Contains("authorization", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task bearer_token_from_the_credential_is_sent_and_reused()
    {
        var credential = new CountingCredential(_time, TimeSpan.FromHours(1));
        await using var entra = await ServiceBusListener.StartAsync(_time, bearerIsValid: credential.Issued);
        var queue = Queue(o => (o.SasKeyName, o.SasKey) = (null, null), credential, entra);

        await queue.PublishAsync([Event("e-1")], CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(30));
        await queue.PublishAsync([Event("e-2")], CancellationToken.None);

        Assert.Equal(1, credential.Calls);
        Assert.Equal([ServiceBusEventQueue.EntraScope], credential.LastScopes);
        Assert.All(entra.Requests, r => Assert.Equal(201, r.Status));
        Assert.All(entra.Requests, r => Assert.Equal("Bearer token-1", r.Authorization));
    }

    [Fact]
    public async Task bearer_token_is_fetched_again_five_minutes_before_it_expires()
    {
        var credential = new CountingCredential(_time, TimeSpan.FromHours(1));
        await using var entra = await ServiceBusListener.StartAsync(_time, bearerIsValid: credential.Issued);
        var queue = Queue(o => (o.SasKeyName, o.SasKey) = (null, null), credential, entra);

        await queue.PublishAsync([Event("e-1")], CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(55));
        await queue.PublishAsync([Event("e-2")], CancellationToken.None);

        Assert.Equal(2, credential.Calls);
        Assert.Equal("Bearer token-2", entra.Requests[1].Authorization);
    }

    [Fact]
    public async Task several_events_of_one_customer_go_in_one_batch_request()
    {
        CustomerEvent[] events = [Event("e-1"), Event("e-2", data: new JsonObject { ["note"] = "quotes \" and ünïcode" }), Event("e-3")];

        await Queue().PublishAsync(events, CancellationToken.None);

        var request = Assert.Single(_bus.Requests);
        Assert.Equal(201, request.Status);
        Assert.Equal(ServiceBusListener.BatchMediaType, request.ContentType);
        Assert.Equal(events.Select(e => e.Id), request.Messages.Select(m => m.MessageId));
        Assert.All(request.Messages, m => Assert.Equal(CustomerKey.Partition("demo-store", "id:1001"), m.SessionId));
        Assert.Equal(events.Select(e => Encoding.UTF8.GetString(EventJson.Serialize(e))), request.Messages.Select(m => m.Body));
    }

    [Fact]
    public async Task events_of_two_customers_go_in_one_request_per_session()
    {

        await Queue().PublishAsync([Event("a-1", "id:1"), Event("b-1", "id:2"), Event("a-2", "id:1")], CancellationToken.None);

        // Sessions go side by side, so the two requests may arrive in either order.
        Assert.Equal(2, _bus.Requests.Count);
        Assert.Equal(["a-1", "a-2"], _bus.Requests.Single(r => r.Messages[0].SessionId == "demo-store|id:1").Messages.Select(m => m.MessageId));
        Assert.Equal(["b-1"], _bus.Requests.Single(r => r.Messages[0].SessionId == "demo-store|id:2").Messages.Select(m => m.MessageId));
    }

    [Fact]
    public async Task batch_over_the_size_limit_is_split()
    {
        var events = Enumerable.Range(1, 3).Select(i => Event($"e-{i}", data: Padding(100_000))).ToList();

        await Queue().PublishAsync(events, CancellationToken.None);

        Assert.Equal(2, _bus.Requests.Count);
        Assert.All(_bus.Requests, r => Assert.Equal(201, r.Status));
        Assert.Equal(["e-1", "e-2", "e-3"], _bus.Messages.Select(m => m.MessageId));
    }

    [Fact]
    public async Task batch_send_off_sends_one_request_per_event()
    {

        await Queue(o => o.BatchSend = false).PublishAsync([Event("e-1"), Event("e-2")], CancellationToken.None);

        Assert.Equal(2, _bus.Requests.Count);
        Assert.All(_bus.Requests, r => Assert.Equal("application/json", r.ContentType));
        Assert.Equal(["e-1", "e-2"], _bus.Messages.Select(m => m.MessageId));
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task throttled_or_busy_answer_surfaces_as_transient_failure(HttpStatusCode status)
    {
        var queue = Queue();
        _bus.FailNext(1, status);

        var failure = await Assert.ThrowsAsync<ServiceBusPublishException>(() => queue.PublishAsync([Event("e-1")], CancellationToken.None));
        await queue.PublishAsync([Event("e-1")], CancellationToken.None);

        Assert.True(failure.IsTransient);
        Assert.Equal(status, failure.Status);
        Assert.Equal(["e-1"], _bus.Messages.Select(m => m.MessageId));
    }

    [Fact]
    public async Task other_answer_names_the_status_and_truncates_the_response_text()
    {
        _bus.FailNext(1, HttpStatusCode.Conflict, new string('x', 5_000));

        var failure = await Assert.ThrowsAsync<ServiceBusPublishException>(() => Queue().PublishAsync([Event("e-1")], CancellationToken.None));

        Assert.False(failure.IsTransient);
        Assert.Contains("409", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("…", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 501), failure.Message, StringComparison.Ordinal);
        Assert.InRange(failure.Message.Length, 500, 800);
    }

    [Fact]
    public async Task oversize_message_is_refused_before_sending()
    {

        var failure = await Assert.ThrowsAsync<EventRefusedException>(() =>
            Queue().PublishAsync([Event("small"), Event("big", data: Padding(300_000))], CancellationToken.None));

        Assert.Equal("big", failure.EventId);
        Assert.Contains("Event big", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_bus.Requests);
    }

    [Fact]
    public async Task session_id_of_exactly_128_characters_is_sent()
    {
        var customerKey = "id:" + new string('7', 128 - "demo-store|id:".Length);

        await Queue().PublishAsync([Event("e-1", customerKey)], CancellationToken.None);

        Assert.Equal(128, Assert.Single(_bus.Messages).SessionId.Length);
    }

    [Fact]
    public async Task session_id_over_128_characters_is_refused_before_sending()
    {
        var customerKey = "id:" + new string('7', 129 - "demo-store|id:".Length);

        var failure = await Assert.ThrowsAsync<EventRefusedException>(() => Queue().PublishAsync([Event("e-1", customerKey)], CancellationToken.None));

        Assert.Contains("129 characters", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_bus.Requests);
    }

    [Fact]
    public async Task message_id_over_128_characters_is_refused_before_sending()
    {

        await Assert.ThrowsAsync<EventRefusedException>(() => Queue().PublishAsync([Event(new string('e', 129))], CancellationToken.None));

        Assert.Empty(_bus.Requests);
    }

    [Fact]
    public async Task check_is_null_when_the_queue_answers()
    {

        Assert.Null(await Queue().CheckAsync(CancellationToken.None));
        Assert.Equal("/events", Assert.Single(_bus.Requests).Path);
    }

    [Fact]
    public async Task check_counts_a_refused_description_read_as_reachable()
    {
        await using var entra = await ServiceBusListener.StartAsync(_time, bearerIsValid: _ => false);
        var credential = new CountingCredential(_time, TimeSpan.FromHours(1));

        Assert.Null(await Queue(o => (o.SasKeyName, o.SasKey) = (null, null), credential, entra).CheckAsync(CancellationToken.None));
        Assert.Equal(401, Assert.Single(entra.Requests).Status);
    }

    [Fact]
    public async Task check_names_a_missing_queue()
    {
        _bus.QueueExists = false;

        var reason = await Queue().CheckAsync(CancellationToken.None);

        Assert.Equal("Service Bus queue 'events' does not exist.", reason);
    }

    [Fact]
    public async Task check_names_an_unreachable_namespace()
    {
        var options = new ServiceBusOptions { Namespace = "test-ns.servicebus.windows.net", Endpoint = "http://127.0.0.1:1/", SasKeyName = SasName, SasKey = SasKey };

        var reason = await new ServiceBusEventQueue(_http, options, null, _time).CheckAsync(CancellationToken.None);

        Assert.NotNull(reason);
        Assert.Contains("unreachable", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(SasKey, reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task listener_refuses_what_service_bus_refuses()
    {
        await Queue().PublishAsync([Event("e-1")], CancellationToken.None);
        var auth = _bus.Requests[0].Authorization!;
        const string Valid = """{"MessageId":"m-1","SessionId":"s-1"}""";

        async Task<string> Post(string contentType, string body, string? brokerProperties, string authorization)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_bus.Endpoint, "events/messages"));
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            if (brokerProperties is not null) request.Headers.TryAddWithoutValidation("BrokerProperties", brokerProperties);
            using var response = await _http.SendAsync(request);
            return $"{(int)response.StatusCode} {_bus.Requests[^1].Reason}";
        }

        var batch = ServiceBusListener.BatchMediaType;
        Assert.Equal("201 created", await Post("application/json", "{}", Valid, auth));
        Assert.Equal("201 created", await Post(batch, $$"""[{"Body":"{}","BrokerProperties":{{Valid}}}]""", null, auth));
        Assert.StartsWith("400 no BrokerProperties", await Post("application/json", "{}", null, auth), StringComparison.Ordinal);
        Assert.StartsWith("400 SessionId", await Post("application/json", "{}", """{"MessageId":"m-1"}""", auth), StringComparison.Ordinal);
        Assert.StartsWith("400 MessageId", await Post(batch, "[{\"Body\":\"{}\",\"BrokerProperties\":{\"MessageId\":\"" + new string('m', 129) + "\",\"SessionId\":\"s\"}}]", null, auth), StringComparison.Ordinal);
        Assert.StartsWith("400 each batch entry needs a Body", await Post(batch, """[{"Body":{}}]""", null, auth), StringComparison.Ordinal);
        Assert.StartsWith("400 the batch Content-Type", await Post(batch + "; charset=utf-8", "[]", null, auth), StringComparison.Ordinal);
        Assert.StartsWith("401 sig", await Post("application/json", "{}", Valid, auth.Replace("sig=", "sig=A", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.StartsWith("401 the bearer token", await Post("application/json", "{}", Valid, "Bearer not-issued"), StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromHours(2));
        Assert.StartsWith("401 the SAS token has expired", await Post("application/json", "{}", Valid, auth), StringComparison.Ordinal);
    }

    private ServiceBusEventQueue Queue(Action<ServiceBusOptions>? configure = null, TokenCredential? credential = null, ServiceBusListener? bus = null)
    {
        bus ??= _bus;
        var options = new ServiceBusOptions
        {
            Namespace = bus.Namespace,
            QueueName = bus.QueueName,
            Endpoint = bus.Endpoint.AbsoluteUri,
            SasKeyName = SasName,
            SasKey = SasKey,
        };
        configure?.Invoke(options);
        return new ServiceBusEventQueue(_http, options, credential, _time);
    }

    [Fact]
    public async Task many_sessions_go_side_by_side_and_each_sessions_chunks_stay_in_order()
    {
        // A sweep's wake-ups: one session per customer; and one customer whose events need three requests.
        var wakeUps = Enumerable.Range(0, 40).Select(i => Event($"w-{i}", $"id:{2000 + i}"));
        var ordered = Enumerable.Range(0, 3).Select(i => Event($"big-{i}", "id:1", Padding(150_000)));

        await Queue().PublishAsync([.. wakeUps, .. ordered], CancellationToken.None);

        Assert.Equal(43, _bus.Messages.Count);
        Assert.Equal(["big-0", "big-1", "big-2"], _bus.Messages.Where(m => m.SessionId == "demo-store|id:1").Select(m => m.MessageId));
        Assert.Equal(43, _bus.Requests.Count);
    }

    private static CustomerEvent Event(string id, string customerKey = "id:1001", JsonObject? data = null) =>
        new(id, "demo-store", customerKey, EventTypes.OrderPlaced, Start, Start, "api", Data: data);

    private static JsonObject Padding(int characters) => new() { ["padding"] = new string('p', characters) };

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    /// <summary>Stands in for Entra, which cannot run here: issues numbered tokens and counts the requests.</summary>
    private sealed class CountingCredential(TimeProvider time, TimeSpan lifetime) : TokenCredential
    {
        private int _calls;

        public int Calls => _calls;

        public string[] LastScopes { get; private set; } = [];

        public bool Issued(string token) =>
            token.StartsWith("token-", StringComparison.Ordinal) && int.TryParse(token["token-".Length..], out var n) && n >= 1 && n <= _calls;

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            LastScopes = requestContext.Scopes;
            var n = Interlocked.Increment(ref _calls);
            return new AccessToken($"token-{n}", time.GetUtcNow() + lifetime);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
