using Automation.Core.Audience;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Functions.Events;
using Automation.Functions.Storage;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Audience;

/// <summary>An app on Azurite without the shipped journeys (so storage requests are the consumer's own), events about one customer, and the index read back.</summary>
internal sealed class AudienceKit(TestApp app) : IAsyncDisposable
{
    public const string Store = "custom";
    public static readonly DateTimeOffset T0 = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);
    private int _ids;

    public TestApp App => app;
    public EventProcessor Processor => app.Get<EventProcessor>();
    public AudienceIndex Index => app.Get<AudienceIndex>();

    public static async Task<AudienceKit> StartAsync() => new(await TestApp.StartAsync(new()
    {
        ["Automation:InstallShippedJourneys"] = "false",
        ["Automation:Stores:custom2:Platform"] = "custom",
    }));

    public static CustomerFacts Ann(string customer = "id:42", string consent = "subscribed", DateTimeOffset? at = null) =>
        new(customer[3..], $"ann{customer[3..]}@example.com", "Ann", "Lovelace", "en-GB", "GB", null, new ConsentFacts(consent, "test", at ?? T0));

    public CustomerEvent Placed(string order, DateTimeOffset at, decimal total, string customer = "id:42", params OrderLine[] lines) =>
        new($"api-{++_ids}", Store, customer, EventTypes.OrderPlaced, at, at, "api", Ann(customer), new OrderFacts(order, total, "GBP", Lines: lines));

    public CustomerEvent Event(string type, DateTimeOffset at, string customer = "id:42", CustomerFacts? facts = null, OrderFacts? order = null) =>
        new($"api-{++_ids}", Store, customer, type, at, at, "api", facts, order);

    public static CustomerEvent Consent(string state, DateTimeOffset at) => new($"consent-{state}-{at.Ticks}", Store, "id:42", EventTypes.ConsentChanged, at, at, "api",
        new CustomerFacts(Consent: new ConsentFacts(state, "test", at)));

    public static OrderLine Line(string category, int quantity) => new("p1", "Assam 250 g", category, quantity, 6m);

    public async Task<CustomerProfile?> ProfileAsync(string customer = "id:42", string store = Store) =>
        (await app.Get<CustomerTable>().ReadProfileAsync(CustomerKey.Partition(store, customer), default)).Profile;

    /// <summary>The customer's entries in their shard: one, or none.</summary>
    public async Task<List<AudienceEntry>> EntriesAsync(string customer = "id:42", AudienceFilter? filter = null, string store = Store)
    {
        var entries = new List<AudienceEntry>();
        await foreach (var e in Index.ScanAsync(store, AudienceIndex.ShardOf(customer), filter)) entries.Add(e);
        return entries.Where(e => e.CustomerKey == customer).ToList();
    }

    public async Task<int> CountAsync(string store)
    {
        var total = 0;
        foreach (var shard in AudienceIndex.ShardsOf(store)) total += (await Index.CountAsync(store, shard, default)).Customers;
        return total;
    }

    public static AudienceEntry Entry(string store, int i, bool marketable = true) =>
        new(store, $"id:{i}", marketable, 1 + (i % 4), 10m * i, "GBP", T0, T0.AddDays(i % 30), [T0.AddDays(i % 30)], "Europe/London", "en-GB", "GB", ["Tea"]);

    /// <summary>Entries written straight to the index, a transaction per shard.</summary>
    public async Task WriteAsync(IEnumerable<AudienceEntry> entries)
    {
        foreach (var shard in entries.GroupBy(e => AudienceIndex.ShardOf(e.CustomerKey)))
            await Index.UpsertAsync([.. shard], default);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
