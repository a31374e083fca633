using System.Collections.Concurrent;
using Automation.Core.Audience;
using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Functions.Events;
using Automation.Functions.Storage;
using Azure.Data.Tables;
using static Automation.Functions.Tests.Audience.AudienceKit;

namespace Automation.Functions.Tests.Audience;

/// <summary>The audience index against Azurite: kept current by the consumer at no cost when nothing indexed changes, erased with the customer and the shop, scanned by shard.</summary>
public sealed class AudienceIndexTests : IAsyncLifetime
{
    private AudienceKit _kit = null!;

    public async Task InitializeAsync() => _kit = await AudienceKit.StartAsync();

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task an_order_creates_the_customers_entry_in_its_shard_without_personal_data()
    {
        await _kit.Processor.ProcessAsync(_kit.Placed("1001", T0, 50m, lines: [Line("Tea", 2), Line("Cups", 1)]), default);

        var row = await _kit.App.Get<StorageClients>().Table(StorageClients.AudienceTable)
            .GetEntityAsync<TableEntity>(AudienceIndex.Partition(Store, AudienceIndex.ShardOf("id:42")), "id:42");
        var columns = row.Value.Keys.Where(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["CanEmailMarketing", "Country", "Currency", "FirstOrderAt", "LastOrderAt", "Locale", "OrderCount", "RecentOrders", "TimeZone", "TopCategories", "TotalSpent"], columns);
        Assert.All(row.Value.Select(kv => kv.Value?.ToString() ?? ""), v =>
        {
            Assert.DoesNotContain("example.com", v, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Ann", v, StringComparison.Ordinal);
            Assert.DoesNotContain("Lovelace", v, StringComparison.Ordinal);
        });

        var entry = Assert.Single(await _kit.EntriesAsync());
        Assert.Equal(AudienceEntry.From(await _kit.ProfileAsync()), entry);
        Assert.Equal((true, 1, 50m, "GBP", T0, T0), (entry.CanEmailMarketing, entry.OrderCount, entry.TotalSpent, entry.Currency, entry.FirstOrderAt, entry.LastOrderAt));
        Assert.Equal(("Europe/London", "en-GB", "GB"), (entry.TimeZone, entry.Locale, entry.Country));
        Assert.Equal(["Tea", "Cups"], entry.TopCategories);
        Assert.Equal(1, await _kit.CountAsync(Store));
    }

    [Fact]
    public async Task a_second_order_updates_the_entry()
    {
        await _kit.Processor.ProcessAsync(_kit.Placed("1001", T0, 50m, lines: [Line("Tea", 1)]), default);
        await _kit.Processor.ProcessAsync(_kit.Placed("1002", T0.AddDays(20), 30m, lines: [Line("Cups", 4)]), default);

        var entry = Assert.Single(await _kit.EntriesAsync());
        Assert.Equal((2, 80m, T0, T0.AddDays(20)), (entry.OrderCount, entry.TotalSpent, entry.FirstOrderAt, entry.LastOrderAt));
        Assert.Equal([T0.AddDays(20), T0], entry.RecentOrders);
        Assert.Equal(["Cups", "Tea"], entry.TopCategories);
        Assert.Equal(AudienceEntry.From(await _kit.ProfileAsync()), entry);
        Assert.Equal(LifecycleTier.New, entry.TierAt(T0.AddDays(21)));
    }

    [Fact]
    public async Task an_event_that_changes_no_indexed_field_costs_no_storage_request()
    {
        await _kit.Processor.ProcessAsync(_kit.Placed("1001", T0, 50m, lines: [Line("Tea", 1)]), default);

        foreach (var unchanged in new[]
        {
            _kit.Event(EventTypes.ProductViewed, T0.AddHours(1)),
            _kit.Event(EventTypes.OrderPaid, T0.AddHours(2), order: new OrderFacts("1001", Lines: [Line("Tea", 1)])),
            _kit.Event(EventTypes.CustomerUpdated, T0.AddHours(3), facts: Ann() with { FirstName = "Annie" }),
        })
        {
            _kit.App.Counter.Reset();
            await _kit.Processor.ProcessAsync(unchanged, default);
            Assert.Equal((1, 1), (_kit.App.Counter.TableReads, _kit.App.Counter.TableWrites)); // the profile's read and transaction, nothing else
        }

        _kit.App.Counter.Reset();
        await _kit.Processor.ProcessAsync(_kit.Event(EventTypes.CustomerUpdated, T0.AddHours(4), facts: Ann() with { Locale = "cy-GB" }), default);
        Assert.Equal((1, 2), (_kit.App.Counter.TableReads, _kit.App.Counter.TableWrites)); // and the index's upsert
    }

    [Fact]
    public async Task withdrawn_consent_turns_the_flag_off_and_keeps_the_customer_indexed_until_it_comes_back()
    {
        await _kit.Processor.ProcessAsync(_kit.Placed("1001", T0, 50m), default);
        await _kit.Processor.ProcessAsync(Consent("unsubscribed", T0.AddDays(1)), default);

        Assert.False(Assert.Single(await _kit.EntriesAsync()).CanEmailMarketing);
        Assert.Empty(await _kit.EntriesAsync(filter: AudienceFilter.MarketableBuyers));

        await _kit.Processor.ProcessAsync(Consent("subscribed", T0.AddDays(2)), default);
        Assert.True(Assert.Single(await _kit.EntriesAsync(filter: AudienceFilter.MarketableBuyers)).CanEmailMarketing);
    }

    [Fact]
    public async Task customer_redaction_removes_the_entry_and_older_events_do_not_bring_it_back()
    {
        await _kit.Processor.ProcessAsync(_kit.Placed("1001", T0, 50m), default);
        await _kit.Processor.ProcessAsync(new CustomerEvent("shopify-redact", Store, "id:42", EventTypes.CustomerRedacted, T0.AddDays(10), T0.AddDays(10), "shopify"), default);
        await _kit.Processor.ProcessAsync(_kit.Placed("1002", T0.AddDays(1), 20m), default);

        Assert.Empty(await _kit.EntriesAsync());
        Assert.Equal(0, await _kit.CountAsync(Store));
    }

    [Fact]
    public async Task a_row_an_event_racing_the_erasure_wrote_after_it_is_deleted_by_the_next_event_of_the_erased_customer()
    {
        await _kit.Processor.ProcessAsync(_kit.Placed("1001", T0, 50m), default);
        var entry = Assert.Single(await _kit.EntriesAsync());
        await _kit.Processor.ProcessAsync(new CustomerEvent("shopify-redact", Store, "id:42", EventTypes.CustomerRedacted, T0.AddDays(10), T0.AddDays(10), "shopify"), default);
        // What a racing event's attempt leaves when it writes just after the erasure deleted the row.
        await _kit.Index.UpsertAsync(entry, default);

        // Its retry (or any later event) sees the tombstone before and after: nothing "changed", but the row goes.
        await _kit.Processor.ProcessAsync(_kit.Placed("1003", T0.AddDays(11), 20m), default);

        Assert.Empty(await _kit.EntriesAsync());
    }

    [Fact]
    public async Task shop_redaction_removes_every_shard_of_that_store_and_no_other()
    {
        await _kit.WriteAsync(Enumerable.Range(1, 100).SelectMany(i => new[] { AudienceKit.Entry(Store, i), AudienceKit.Entry("custom2", i) }));
        Assert.Equal(100, await _kit.CountAsync(Store));

        await _kit.Processor.ProcessAsync(new CustomerEvent("shopify-shop-redact", Store, EventProcessor.ShopCustomerKey, EventTypes.ShopRedacted, T0, T0, "shopify"), default);

        Assert.Equal(0, await _kit.CountAsync(Store));
        Assert.Equal(100, await _kit.CountAsync("custom2"));
    }

    [Fact]
    public async Task scanning_every_shard_in_parallel_returns_each_customer_once_a_page_at_a_time()
    {
        var written = Enumerable.Range(1, 2500).Select(i => AudienceKit.Entry(Store, i, marketable: i % 3 != 0)).ToList();
        await _kit.WriteAsync(written);

        // Streamed: the first entry costs one page, the eleventh a second one.
        _kit.App.Counter.Reset();
        await using (var first = _kit.Index.ScanAsync(Store, 0, null, default, pageSize: 10).GetAsyncEnumerator())
        {
            Assert.True(await first.MoveNextAsync());
            Assert.Equal(1, _kit.App.Counter.TableReads);
            for (var i = 0; i < 10; i++) Assert.True(await first.MoveNextAsync());
            Assert.Equal(2, _kit.App.Counter.TableReads);
        }

        _kit.App.Counter.Reset();
        var seen = new ConcurrentBag<AudienceEntry>();
        var perShard = new ConcurrentDictionary<int, int>();
        await Parallel.ForEachAsync(AudienceIndex.ShardsOf(Store), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (shard, ct) =>
        {
            await foreach (var e in _kit.Index.ScanAsync(Store, shard, null, ct, pageSize: 25))
            {
                Assert.Equal(shard, AudienceIndex.ShardOf(e.CustomerKey));
                seen.Add(e);
                perShard.AddOrUpdate(shard, 1, (_, n) => n + 1);
            }
        });

        Assert.Equal(2500, seen.Count);
        Assert.Equal(written.Select(e => e.CustomerKey).Order(StringComparer.Ordinal), seen.Select(e => e.CustomerKey).Order(StringComparer.Ordinal));
        Assert.All(written, e => Assert.Contains(e, seen));
        Assert.Equal(AudienceIndex.Shards, perShard.Count);
        Assert.True(_kit.App.Counter.TableReads >= 2500 / 25, $"{_kit.App.Counter.TableReads} pages for 2,500 entries 25 at a time");

        var marketable = 0;
        foreach (var shard in AudienceIndex.ShardsOf(Store))
            await foreach (var e in _kit.Index.ScanAsync(Store, shard, AudienceFilter.MarketableBuyers))
                marketable += e.CanEmailMarketing ? 1 : 0;
        Assert.Equal(written.Count(e => e.CanEmailMarketing), marketable);
    }

    [Fact]
    public async Task after_a_lost_race_the_entry_is_the_winners_not_the_losing_attempts()
    {
        await _kit.Processor.ProcessAsync(_kit.Placed("1001", T0, 50m), default);
        var older = _kit.Event(EventTypes.CustomerUpdated, T0.AddDays(1), facts: Ann() with { Locale = "de-DE" });
        var newer = _kit.Event(EventTypes.CustomerUpdated, T0.AddDays(2), facts: Ann() with { Locale = "fr-FR" });
        var raced = false;
        _kit.Processor.FaultPoint = async (point, e) =>
        {
            // The older update has decided (locale de-DE); the newer one commits before it writes anything.
            if (point == "decided" && e.Id == older.Id && !raced)
            {
                raced = true;
                await _kit.Processor.ProcessAsync(newer, default);
            }
        };

        await _kit.Processor.ProcessAsync(older, default);

        Assert.True(raced);
        Assert.Equal("fr-FR", (await _kit.ProfileAsync())!.Locale);
        Assert.Equal("fr-FR", Assert.Single(await _kit.EntriesAsync()).Locale);
    }
}
