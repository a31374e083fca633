using System.Net;
using Automation.Functions.Queues;
using Automation.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static Automation.Functions.Tests.Http.HttpKit;

namespace Automation.Functions.Tests.Queues;

/// <summary>
/// The app as configured in Azure (<c>Automation__QueueKind=ServiceBus</c>) against the local Service Bus
/// listener, which checks each request against the REST contract: webhooks and API events go out as
/// session messages, and an event the queue can never take is parked (webhooks) or refused with 413 (API).
/// </summary>
public sealed class ServiceBusIngestionTests : IAsyncLifetime
{
    private const string SasName = "send-only";
    private const string SasKey = "dGVzdC1rZXktbm90LWEtcmVhbC1vbmUtMzItYnl0ZXM=";
    private ServiceBusListener _bus = null!;

    public async Task InitializeAsync() =>
        _bus = await ServiceBusListener.StartAsync(new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)), sas: (SasName, SasKey));

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    private Task<TestApp> StartAsync(int maxMessageBytes = 256 * 1024) => TestApp.StartAsync(new()
    {
        ["Automation:QueueKind"] = "ServiceBus",
        ["Automation:ServiceBus:Namespace"] = _bus.Namespace,
        ["Automation:ServiceBus:QueueName"] = _bus.QueueName,
        ["Automation:ServiceBus:Endpoint"] = _bus.Endpoint.AbsoluteUri,
        ["Automation:ServiceBus:SasKeyName"] = SasName,
        ["Automation:ServiceBus:SasKey"] = SasKey,
        ["Automation:ServiceBus:MaxMessageBytes"] = maxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    [Fact]
    public async Task a_shopify_order_goes_to_the_customers_session_with_the_delivery_as_message_id()
    {
        await using var app = await StartAsync();
        var eventId = Guid.NewGuid().ToString();

        var answer = await app.OkAsync(app.Shopify("orders/create", Fixture("shopify", "orders-create.json"), eventId));

        Assert.True(answer.Text("status") == "accepted", answer.ToString());
        var message = Assert.Single(_bus.Messages);
        Assert.Equal("shopify-" + eventId, message.MessageId);
        Assert.Equal("shop|id:7340032000000000003", message.SessionId);
    }

    [Fact]
    public async Task a_webhook_whose_event_the_queue_cannot_take_is_parked_and_accepted_so_the_platform_keeps_the_subscription()
    {
        await using var app = await StartAsync(maxMessageBytes: 500);
        var eventId = Guid.NewGuid().ToString();

        var answer = await app.OkAsync(app.Shopify("orders/create", Fixture("shopify", "orders-create.json"), eventId));

        Assert.True(answer.Text("status") == "parked", answer.ToString());
        Assert.Contains("the queue takes at most 500", answer.Text("reason"), StringComparison.Ordinal);
        Assert.Empty(_bus.Requests);
        var parked = Assert.Single(await app.Get<ParkedMessages>().ListAsync(10, default));
        Assert.Equal(("webhook", "shopify-" + eventId), (parked.Queue, parked.MessageId));
        Assert.Contains("\"orderId\"", parked.Body, StringComparison.Ordinal); // the event itself, to replay once it fits
    }

    [Fact]
    public async Task an_api_event_the_queue_cannot_take_is_refused_with_413_naming_the_limit_and_nothing_is_sent()
    {
        await using var app = await StartAsync(maxMessageBytes: 1500);
        var events = $$$"""[{"id":"small-1","type":"customer.updated","customerId":"1"},{"id":"big-2","type":"order.placed","customerId":"2","data":{"orderId":"o-2","total":"10.00","note":"{{{new string('x', 2000)}}}"}}]""";

        await app.ProblemAsync(app.Keyed(HttpMethod.Post, "/api/events/custom", events), HttpStatusCode.RequestEntityTooLarge, "big-2", "at most 1500");

        Assert.Empty(_bus.Requests);
    }
}
