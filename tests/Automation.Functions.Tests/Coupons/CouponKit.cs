using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Coupons;
using Automation.Functions.Journeys;
using Automation.Functions.Storage;
using Automation.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Functions.Tests.Coupons;

/// <summary>A real app on Azurite with a virtual clock and a catalog of generated and uploaded pools.</summary>
internal sealed class CouponKit(TestApp app) : IAsyncDisposable
{
    public const string Store = "custom";

    public static readonly JourneyCatalog Catalog = new(
        new HashSet<string> { "coupon-email", "plain" },
        new Dictionary<string, CouponPool>
        {
            ["gen10"] = new() { PercentOff = 10, ValidFor = "P30D", Prefix = "GEN10" },
            ["gift5"] = new() { AmountOff = 5, Currency = "EUR", MinimumOrder = 30, ValidFor = "P7D", Prefix = "GIFT" },
            ["bulk"] = new() { Source = CouponSources.Pool, PercentOff = 15, ValidFor = "P14D" },
        },
        new Dictionary<string, WebhookTarget>());

    /// <summary>Issue a coupon on <c>loyalty.joined</c>, email it, then wait a month for an order (the goal).</summary>
    public static string Journey(string pool, string id = "gift") => $$"""
        {
          "schemaVersion": 1, "id": "{{id}}", "name": "Gift",
          "trigger": { "event": "loyalty.joined" },
          "goals": [ { "id": "order", "event": "order.placed" } ],
          "steps": [
            { "id": "coupon", "type": "issueCoupon", "pool": "{{pool}}", "next": "email", "onFailure": "plain" },
            { "id": "email", "type": "sendEmail", "template": "coupon-email", "coupon": "coupon", "next": "wait" },
            { "id": "plain", "type": "sendEmail", "template": "plain", "next": "email" },
            { "id": "wait", "type": "wait", "duration": "P30D", "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """;

    public TestApp App => app;

    public DateTimeOffset Now => app.Clock.GetUtcNow();

    public static async Task<CouponKit> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Automation:Clock"] = "Virtual",
            ["Automation:InstallShippedJourneys"] = "false",
            ["Automation:RetryBaseDelaySeconds"] = "0",
        };
        foreach (var (k, v) in settings ?? []) config[k] = v;
        return new CouponKit(await TestApp.StartAsync(config, s => s.AddSingleton(Catalog)));
    }

    public async Task InstallAsync(string json)
    {
        var read = JourneyReader.Read(json, Catalog);
        Assert.True(read.IsValid, string.Join("; ", read.Problems.Select(p => $"{p.Path}: {p.Message}")));
        Assert.True(await app.Get<JourneyStore>().InstallAsync(read.Definition!, default));
    }

    public CustomerEvent Joined(string customer = "id:7") => new($"join-{customer}", Store, customer, "loyalty.joined", Now, Now, "api",
        new CustomerFacts(ExternalId: customer[3..], Email: $"c{customer[3..]}@example.com", FirstName: "Ana", Consent: new ConsentFacts("subscribed", "test", Now)));

    public CustomerEvent Order(string orderId, decimal total, string[] codes, string customer = "id:7", string type = EventTypes.OrderPlaced) =>
        new($"order-{orderId}-{type}", Store, customer, type, Now, Now, "api", Order: new OrderFacts(orderId, total, "GBP", codes));

    public async Task PostAsync(CustomerEvent e)
    {
        await app.Get<Automation.Functions.Queues.IEventQueue>().PublishAsync([e], default);
        await app.DrainAsync();
    }

    public async Task AdvanceAsync(string duration)
    {
        var response = await app.Http.SendAsync(app.Keyed(HttpMethod.Post, "/api/dev/clock", $$"""{"advance": "{{duration}}"}"""));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    public async Task<JourneyInstance?> InstanceAsync(string journey = "gift", string customer = "id:7") =>
        (await app.Get<CustomerTable>().ReadStateAsync(CustomerKey.Partition(Store, customer), default)).Journeys.Instances.GetValueOrDefault(journey);

    public async Task<HttpResponseMessage> UploadAsync(string pool, string csv, string store = Store, string contentType = "text/csv")
    {
        var request = app.Keyed(HttpMethod.Post, $"/api/coupons/{store}/pools/{pool}");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await app.Http.SendAsync(request);
    }

    public async Task<JsonElement> PoolAsync(string pool)
    {
        var response = await app.Http.SendAsync(app.Keyed(HttpMethod.Get, $"/api/coupons/{Store}/pools/{pool}"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<HttpResponseMessage> CheckAsync(string code, string store = Store) =>
        app.Http.SendAsync(app.Keyed(HttpMethod.Get, $"/api/coupons/{store}/{code}"));

    /// <summary>An issueCoupon action as the engine makes it, for driving the issuer directly.</summary>
    public JourneyAction Action(string pool, string id = "gift.1.1") => new(id, ActionKinds.IssueCoupon, "gift", 1, 1, "coupon", Now)
    {
        Pool = pool,
        CouponSource = Catalog.CouponPools[pool].Source,
        PercentOff = Catalog.CouponPools[pool].PercentOff,
        Prefix = Catalog.CouponPools[pool].Prefix,
        ExpiresAt = Now.AddDays(14),
    };

    public Task<CouponResult> IssueAsync(string pool, string actionKey, string customer = "id:7") =>
        app.Get<ICouponIssuer>().IssueAsync(new CouponRequest(Store, customer, actionKey, Action(pool)), default);

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
