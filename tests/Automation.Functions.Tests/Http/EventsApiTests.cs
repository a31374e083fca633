using System.Net;
using Automation.Functions.Tests.Infrastructure;
using static Automation.Functions.Tests.Http.HttpKit;

namespace Automation.Functions.Tests.Http;

/// <summary><c>POST /api/events/{storeId}</c> end to end: accepted, keyed, validated, and all or nothing.</summary>
public sealed class EventsApiTests : IAsyncLifetime
{
    private const string Placed = """{"type":"order.placed","customerId":"1001","data":{"orderId":"5001","total":"59.90","firstName":"Ann"}}""";

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await _app.DisposeAsync();

    private HttpRequestMessage Post(string json, string store = "custom") => _app.Keyed(HttpMethod.Post, $"/api/events/{store}", json);

    private static HttpRequestMessage Unkeyed(string json, string? key)
    {
        var r = new HttpRequestMessage(HttpMethod.Post, "/api/events/custom") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (key is not null) r.Headers.Add("X-Api-Key", key);
        return r;
    }

    [Fact]
    public async Task single_event_is_accepted_then_shows_in_the_profile()
    {
        var answer = await _app.OkAsync(Post(Placed), HttpStatusCode.Accepted);

        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
        Assert.StartsWith("api-", Assert.Single(answer.GetProperty("ids").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await _app.DrainAsync());

        var customer = (await _app.CustomerAsync("custom", "1001"))!.Value;
        Assert.Equal(1, customer.GetProperty("orderCount").GetInt32());
        Assert.Equal(59.90m, customer.GetProperty("totalSpent").GetDecimal());
        Assert.Equal("Ann", customer.Text("firstName"));
        Assert.Equal("5001", Assert.Single(customer.GetProperty("recentOrders").EnumerateArray()).Text("orderId"));
    }

    [Fact]
    public async Task array_is_accepted_whole_with_the_ids_given()
    {
        const string batch = """
            [
              {"id":"view-1","type":"product.viewed","customerId":"1002","occurredAt":"2026-11-01T10:00:00Z","data":{"productId":"p-9"}},
              {"id":"order-1","type":"order.placed","email":"Bea@Example.com","occurredAt":"2026-11-01T10:05:00Z","data":{"orderId":"7001","total":12.5}},
              {"type":"complaint.opened","customerId":"1002","data":{"complaintId":44}}
            ]
            """;

        var answer = await _app.OkAsync(Post(batch), HttpStatusCode.Accepted);

        Assert.Equal(3, answer.GetProperty("accepted").GetInt32());
        var ids = answer.GetProperty("ids").EnumerateArray().Select(i => i.GetString()).ToList();
        Assert.Equal("api-view-1", ids[0]);
        Assert.Equal("api-order-1", ids[1]);
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal(3, await _app.DrainAsync());

        var viewer = (await _app.CustomerAsync("custom", "1002"))!.Value;
        Assert.Equal(1, viewer.GetProperty("openComplaints").GetInt32());
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero), viewer.GetProperty("lastActivityAt").GetDateTimeOffset());
        var guest = (await _app.CustomerAsync("custom", email: "bea@example.com"))!.Value;
        Assert.Equal(1, guest.GetProperty("orderCount").GetInt32());
        Assert.Equal(12.5m, guest.GetProperty("totalSpent").GetDecimal());
    }

    [Fact]
    public async Task resending_events_with_their_own_ids_changes_nothing()
    {
        const string withId = """{"id":"o-5001","type":"order.placed","customerId":"1001","data":{"orderId":"5001","total":"59.90"}}""";
        await _app.OkAsync(Post(withId), HttpStatusCode.Accepted);
        await _app.DrainAsync();
        var before = await _app.CustomerTextAsync("custom", "1001");

        await _app.OkAsync(Post(withId), HttpStatusCode.Accepted);
        Assert.Equal(1, await _app.DrainAsync());

        Assert.Equal(before, await _app.CustomerTextAsync("custom", "1001"));
    }

    [Theory]
    [InlineData(null, "X-Api-Key")]
    [InlineData("", "X-Api-Key")]
    [InlineData("not-the-key", "does not match")]
    [InlineData("TEST-ADMIN-KEY", "does not match")]
    public async Task missing_or_wrong_api_key_is_401_and_queues_nothing(string? key, string mention)
    {
        _app.Counter.Reset();

        await _app.ProblemAsync(Unkeyed(Placed, key), HttpStatusCode.Unauthorized, mention);

        Assert.Equal(0, _app.Counter.Total);
        Assert.Equal(0, await _app.DrainAsync());
        Assert.Null(await _app.CustomerAsync("custom", "1001"));
    }

    [Fact]
    public async Task unknown_store_is_404_and_queues_nothing()
    {
        _app.Counter.Reset();

        await _app.ProblemAsync(Post(Placed, store: "nope"), HttpStatusCode.NotFound, "nope");

        Assert.Equal(0, _app.Counter.Total);
        Assert.Equal(0, await _app.DrainAsync());
    }

    [Fact]
    public async Task customers_api_needs_the_key_too()
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "/api/customers/custom/1001");

        var (status, body) = await _app.SendAsync(get);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertNoStackTrace(body);
    }

    [Fact]
    public async Task one_bad_event_refuses_the_whole_array_naming_every_bad_field()
    {
        const string batch = """
            [
              {"type":"product.viewed","customerId":"1002"},
              {"customerId":"1003"},
              {"type":"survey.answered","email":"not-an-email","data":{"score":9}},
              {"type":"order.placed","customerId":"1004","data":{"total":"-3"},"colour":"red"}
            ]
            """;
        _app.Counter.Reset();

        var problem = await _app.ProblemAsync(Post(batch), HttpStatusCode.BadRequest, "[1].type", "[2].email", "[2].data.score");

        var fields = ErrorFields(problem);
        Assert.Contains("[1].type", fields);
        Assert.Contains("[2].email", fields);
        Assert.Contains("[2].data.score", fields);
        Assert.Contains("[3].data.orderId", fields);
        Assert.Contains("[3].data.total", fields);
        Assert.Contains("[3].colour", fields);
        Assert.DoesNotContain(fields, f => f.StartsWith("[0]", StringComparison.Ordinal));
        Assert.Equal(0, _app.Counter.QueueOperations);
        Assert.Equal(0, await _app.DrainAsync());
        Assert.Null(await _app.CustomerAsync("custom", "1002")); // the good event went nowhere either
    }

    [Theory]
    [InlineData("""{"customerId":"1001"}""", "type")]
    [InlineData("""{"type":"product.viewed"}""", "customerId")]
    [InlineData("""{"type":"Product Viewed","customerId":"1001"}""", "type")]
    [InlineData("""{"type":"customer.redacted","customerId":"1001"}""", "type")]
    [InlineData("""{"type":"product.viewed","customerId":"1001","occurredAt":"2026-12-01T00:00:00Z"}""", "occurredAt")]
    [InlineData("""{"type":"product.viewed","customerId":"a/b"}""", "customerId")]
    [InlineData("""{"type":"product.viewed","customerId":"1001","data":[1]}""", "data")]
    [InlineData("""[]""", "$")]
    [InlineData("""42""", "$")]
    public async Task invalid_event_is_400_naming_the_field_and_queues_nothing(string json, string field)
    {
        _app.Counter.Reset();

        var problem = await _app.ProblemAsync(Post(json), HttpStatusCode.BadRequest, field);

        Assert.Contains(field, ErrorFields(problem));
        Assert.Equal(0, _app.Counter.QueueOperations);
        Assert.Equal(0, await _app.DrainAsync());
    }
}
