using System.Net;
using Automation.Functions.Tests.Infrastructure;
using static Automation.Functions.Tests.Http.HttpKit;
using static Automation.Functions.Tests.Journeys.JourneyApiKit;

namespace Automation.Functions.Tests.Journeys;

/// <summary><c>GET /api/customers/{storeId}/{customerId}/journeys</c>: a customer's journey instances, read from the profile row.</summary>
public sealed class CustomerJourneysTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task each_instance_says_where_it_is_what_it_waits_for_and_what_happened()
    {
        await _app.PutAsync(Thanks, HttpStatusCode.Created);
        await _app.PublishAsync();
        var now = _app.Clock.GetUtcNow();

        await _app.OrderAsync("o1");

        var thanks = await _app.InstanceAsync();
        Assert.Equal((1, 1, "active", "a-day", "timer"), (thanks.GetProperty("version").GetInt32(), thanks.GetProperty("run").GetInt32(),
            thanks.Text("status"), thanks.Text("step"), thanks.Text("waiting")));
        Assert.Equal(now.AddDays(1), thanks.GetProperty("wakeAt").GetDateTimeOffset());
        Assert.Equal(now, thanks.GetProperty("startedAt").GetDateTimeOffset());
        Assert.False(thanks.TryGetProperty("endedAt", out _));
        Assert.Empty(thanks.GetProperty("coupons").EnumerateArray());
        Assert.Equal(["entered", "waiting"], thanks.GetProperty("history").EnumerateArray().Select(h => h.Text("outcome")));
        // The shipped first-order journey started on the same order.
        Assert.Equal("wait-for-delivery", (await _app.InstanceAsync("first-order-follow-up")).Text("step"));
    }

    [Theory]
    [InlineData("/api/customers/custom/999/journeys", HttpStatusCode.NotFound, "999")]
    [InlineData("/api/customers/nowhere/7/journeys", HttpStatusCode.NotFound, "nowhere")]
    [InlineData("/api/customers/custom/a%20b/journeys", HttpStatusCode.BadRequest, "customerId")]
    public async Task an_unknown_customer_or_store_or_a_bad_id_is_a_problem(string path, HttpStatusCode status, string mention)
    {
        await _app.OrderAsync("o1");

        await _app.ProblemAsync(_app.Keyed(HttpMethod.Get, path), status, mention);
    }
}
