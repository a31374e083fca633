using System.Net.Http.Json;
using System.Text.Json;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Email;
using Automation.Functions.Journeys;
using Automation.Functions.Storage;
using Automation.Functions.Tests.Infrastructure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Functions.Tests.JourneyRuntime;

/// <summary>A real app on Azurite with a virtual clock, test journeys instead of the shipped ones, and helpers to look inside.</summary>
internal sealed class RuntimeKit(TestApp app) : IAsyncDisposable
{
    public const string Store = "custom";
    public static readonly JourneyCatalog Catalog = new(
        new HashSet<string> { "first-order-thank-you", "complaint-survey" },
        new Dictionary<string, CouponPool> { ["ten"] = new() { PercentOff = 10, ValidFor = "P30D", Prefix = "TEN" } },
        new Dictionary<string, WebhookTarget> { ["desk"] = new() });

    public TestApp App => app;

    public static async Task<RuntimeKit> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Automation:Clock"] = "Virtual",
            ["Automation:InstallShippedJourneys"] = "false",
            ["Automation:RetryBaseDelaySeconds"] = "0",
            ["Automation:Stores:custom:Name"] = "Custom Goods",
            ["Automation:Stores:custom:PhysicalAddress"] = "1 High Street, London N1 1AA",
        };
        foreach (var (k, v) in settings ?? []) config[k] = v;
        return new RuntimeKit(await TestApp.StartAsync(config, s => s.AddSingleton(Catalog)));
    }

    public async Task InstallAsync(string json)
    {
        var read = JourneyReader.Read(json, Catalog);
        Assert.True(read.IsValid, string.Join("; ", read.Problems.Select(p => $"{p.Path}: {p.Message}")));
        Assert.True(await app.Get<JourneyStore>().InstallAsync(read.Definition!, default));
    }

    public static CustomerEvent Order(string id, string orderId, DateTimeOffset at, string customer = "id:7", string type = EventTypes.OrderPlaced) =>
        new(id, Store, customer, type, at, at, "api",
            new CustomerFacts(ExternalId: customer[3..], Email: "ana@example.com", FirstName: "Ana", Consent: new ConsentFacts("subscribed", "test", at)),
            new OrderFacts(orderId, 40m, "GBP"));

    public async Task PostAsync(CustomerEvent e)
    {
        await app.Get<Automation.Functions.Queues.IEventQueue>().PublishAsync([e], default);
        await app.DrainAsync();
    }

    public async Task<JsonElement> AdvanceAsync(string duration)
    {
        var response = await app.Http.SendAsync(app.Keyed(HttpMethod.Post, "/api/dev/clock", $$"""{"advance": "{{duration}}"}"""));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JourneyInstance?> InstanceAsync(string journey, string customer = "id:7") =>
        (await app.Get<CustomerTable>().ReadStateAsync(CustomerKey.Partition(Store, customer), default)).Journeys.Instances.GetValueOrDefault(journey);

    public async Task<List<TableEntity>> OutboxAsync(string customer = "id:7") =>
        [.. await app.Get<CustomerTable>().ReadOutboxAsync(CustomerKey.Partition(Store, customer), default)];

    public async Task<List<TableEntity>> TimersAsync(string kind = TimerTable.Wake)
    {
        var rows = new List<TableEntity>();
        await foreach (var r in app.Get<StorageClients>().Table(StorageClients.TimersTable).QueryAsync<TableEntity>(x => x.GetString("Kind") == kind)) rows.Add(r);
        return rows;
    }

    public async Task<List<string>> MarkersAsync(string customer = "id:7")
    {
        var rows = new List<string>();
        var table = app.Get<StorageClients>().Table(StorageClients.CustomersTable);
        await foreach (var r in table.QueryAsync<TableEntity>(x => x.PartitionKey == Automation.Core.Customers.CustomerKey.Partition(Store, customer)))
            if (r.RowKey.StartsWith(CustomerTable.MarkerPrefix, StringComparison.Ordinal)) rows.Add(r.RowKey);
        return rows;
    }

    /// <summary>The emails captured for the store, newest first (what <c>GET /api/outbox</c> lists).</summary>
    public Task<IReadOnlyList<CapturedEmail>> EmailsAsync() => app.Get<CapturedEmails>().ListAsync(Store, null, 1000, default);

    /// <summary>The coupon code the email was rendered with.</summary>
    public static string? CouponCode(CapturedEmail email) =>
        email.Data is { } data && data.TryGetProperty("coupon", out var coupon) ? coupon.GetProperty("code").GetString() : null;

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
