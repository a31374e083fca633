using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Functions.Queues;
using Automation.Functions.Recipients;
using Automation.Functions.Storage;
using Automation.Functions.Tests.Infrastructure;
using Azure.Data.Tables;

namespace Automation.Functions.Tests.Recipients;

/// <summary>What the recipient-side tests share: customers with an address, signed links, and looking inside.</summary>
internal static class RecipientKit
{
    public const string Store = "shop";

    public static async Task SeedAsync(this TestApp app, string customerKey, string email, string store = Store, string? locale = null)
    {
        var now = app.Clock.GetUtcNow();
        var e = new CustomerEvent("seed-" + Guid.NewGuid().ToString("N"), store, customerKey, EventTypes.CustomerUpdated, now, now, "api",
            new CustomerFacts(ExternalId: customerKey.StartsWith("id:", StringComparison.Ordinal) ? customerKey[3..] : null, Email: email, FirstName: "Ana", Locale: locale,
                Consent: new ConsentFacts("subscribed", "test", now.AddDays(-1))));
        await app.PublishAsync(e);
    }

    public static async Task PublishAsync(this TestApp app, CustomerEvent e)
    {
        await app.Get<IEventQueue>().PublishAsync([e], default);
        await app.DrainAsync();
    }

    public static string Link(this TestApp app, string purpose, string customerKey, string? journey = "first-order-follow-up", string store = Store,
        TimeSpan? lifetime = null, string? send = "act-1") =>
        app.Get<LinkTokens>().Create(new LinkToken(purpose, store, customerKey, journey, send, app.Clock.GetUtcNow() + (lifetime ?? TimeSpan.FromDays(30))));

    public static async Task<CustomerProfile?> ProfileAsync(this TestApp app, string customerKey, string store = Store) =>
        (await app.Get<CustomerTable>().ReadStateAsync(CustomerKey.Partition(store, customerKey), default)).Profile;

    /// <summary>The types of the events applied to the customer (their processed markers).</summary>
    public static async Task<List<string>> AppliedAsync(this TestApp app, string customerKey, string store = Store)
    {
        var types = new List<string>();
        var pk = CustomerKey.Partition(store, customerKey);
        await foreach (var r in app.Get<StorageClients>().Table(StorageClients.CustomersTable).QueryAsync<TableEntity>(x => x.PartitionKey == pk))
            if (r.RowKey.StartsWith(CustomerTable.MarkerPrefix, StringComparison.Ordinal)) types.Add(r.GetString("Type"));
        return types;
    }

    /// <summary>The events waiting in the local queue, without taking them.</summary>
    public static async Task<List<CustomerEvent>> QueuedAsync(this TestApp app)
    {
        var peeked = await app.Get<StorageClients>().Queue("events").PeekMessagesAsync(32);
        return [.. peeked.Value.Select(m => EventJson.Deserialize(m.Body.ToArray()))];
    }

    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
}
