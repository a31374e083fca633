using System.Net;
using Automation.Core.Audience;
using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Functions.Storage;
using Automation.Functions.Tests.Http;
using static Automation.Functions.Tests.Audience.AudienceKit;

namespace Automation.Functions.Tests.Audience;

/// <summary><c>/api/audience</c>: the rebuild for customers who predate the index, and the inspection view.</summary>
public sealed class AudienceApiTests : IAsyncLifetime
{
    private AudienceKit _kit = null!;

    public async Task InitializeAsync() => _kit = await AudienceKit.StartAsync();

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Theory]
    [InlineData("not-a-position")]
    [InlineData("other-store|id:1")]
    public async Task a_rebuild_from_a_position_no_rebuild_answered_does_nothing_or_is_a_400_naming_from_never_a_500(string from)
    {
        // Continuation tokens are storage's own: Azurite resumes nowhere (nothing done); Azure may refuse it (400).
        var (status, body) = await _kit.App.SendAsync(_kit.App.Keyed(HttpMethod.Post, $"/api/audience/{Store}/rebuild?from=" + Uri.EscapeDataString(from)));

        if (status == System.Net.HttpStatusCode.OK)
            Assert.Contains("\"profiles\":0", body, StringComparison.Ordinal);
        else
            Assert.Equal(["from"], Automation.Functions.Tests.Http.HttpKit.ErrorFields(await _kit.App.ProblemAsync(
                _kit.App.Keyed(HttpMethod.Post, $"/api/audience/{Store}/rebuild?from=" + Uri.EscapeDataString(from)), System.Net.HttpStatusCode.BadRequest)));
    }

    [Fact]
    public async Task rebuild_restores_a_deleted_index_a_few_profiles_per_call()
    {
        for (var i = 1; i <= 4; i++) await _kit.Processor.ProcessAsync(_kit.Placed($"o{i}", T0.AddDays(i), 10m * i, $"id:{i}", Line("Tea", i)), default);
        await _kit.Processor.ProcessAsync(_kit.Event(EventTypes.ConsentChanged, T0.AddDays(5), "id:4", new CustomerFacts(Consent: new ConsentFacts("unsubscribed", "test", T0.AddDays(5)))), default);
        await _kit.Processor.ProcessAsync(_kit.Event(EventTypes.OrderPlaced, T0, "id:5", new CustomerFacts("5"), new OrderFacts("o5", 5m)), default); // no address
        await _kit.Processor.ProcessAsync(_kit.Placed("o6", T0, 10m, "id:6"), default);
        await _kit.Processor.ProcessAsync(new CustomerEvent("shopify-redact-6", Store, "id:6", EventTypes.CustomerRedacted, T0.AddDays(1), T0.AddDays(1), "shopify"), default);
        await _kit.Processor.ProcessAsync(_kit.Placed("x1", T0, 10m, "id:1") with { StoreId = "custom2" }, default);
        var before = new List<AudienceEntry>();
        for (var i = 1; i <= 4; i++) before.AddRange(await _kit.EntriesAsync($"id:{i}"));
        Assert.Equal(4, before.Count);

        await _kit.Index.DeleteStoreAsync(Store, default);
        Assert.Equal(0, await _kit.CountAsync(Store));

        var (profiles, indexed, erased, calls) = (0, 0, 0, 0);
        string? next = null;
        do
        {
            var answer = await _kit.App.OkAsync(_kit.App.Keyed(HttpMethod.Post, $"/api/audience/{Store}/rebuild?max=2" + (next is null ? "" : "&from=" + Uri.EscapeDataString(next))));
            profiles += answer.GetProperty("profiles").GetInt32();
            indexed += answer.GetProperty("indexed").GetInt32();
            erased += answer.GetProperty("erased").GetInt32();
            next = answer.TryGetProperty("next", out var n) ? n.GetString() : null;
            calls++;
        }
        while (next is not null);

        Assert.Equal((6, 4, 1), (profiles, indexed, erased));
        Assert.True(calls >= 3, $"{calls} calls for 6 profiles, 2 per call");
        var after = new List<AudienceEntry>();
        for (var i = 1; i <= 6; i++) after.AddRange(await _kit.EntriesAsync($"id:{i}"));
        Assert.Equal(before, after);
        var counts = await _kit.App.OkAsync(_kit.App.Keyed(HttpMethod.Get, $"/api/audience/{Store}"));
        Assert.Equal((4, 3), (counts.GetProperty("customers").GetInt32(), counts.GetProperty("marketable").GetInt32()));
        Assert.Equal(1, await _kit.CountAsync("custom2"));
    }

    [Fact]
    public async Task the_api_counts_every_shard_and_lists_one_with_each_tier_as_of_now()
    {
        var sameShard = Enumerable.Range(1, 500).Where(i => AudienceIndex.ShardOf($"id:{i}") == 5).Take(3).ToList();
        await _kit.WriteAsync(sameShard.Select(i => AudienceKit.Entry(Store, i)));

        var counts = await _kit.App.OkAsync(_kit.App.Keyed(HttpMethod.Get, $"/api/audience/{Store}"));
        Assert.Equal(AudienceIndex.Shards, counts.GetProperty("shards").GetArrayLength());
        Assert.Equal(3, counts.GetProperty("shards")[5].GetProperty("customers").GetInt32());

        var listed = await _kit.App.OkAsync(_kit.App.Keyed(HttpMethod.Get, $"/api/audience/{Store}?shard=5&max=2"));
        Assert.Equal(2, listed.GetProperty("entries").GetArrayLength());
        Assert.True(listed.GetProperty("more").GetBoolean());
        // First order 1 October 2026, the last within the month; the app's clock says 2 November.
        Assert.Equal(LifecycleTier.Occasional, listed.GetProperty("entries")[0].GetProperty("tier").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await _kit.App.SendAsync(_kit.App.Keyed(HttpMethod.Get, $"/api/audience/{Store}?shard=32"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _kit.App.SendAsync(_kit.App.Keyed(HttpMethod.Get, "/api/audience/nowhere"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _kit.App.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/audience/{Store}"))).Status);
    }
}
