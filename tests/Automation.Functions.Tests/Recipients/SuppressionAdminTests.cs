using System.Net;
using Automation.Core.Events;
using Automation.Functions.Suppression;
using Automation.Functions.Tests.Http;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Recipients;

/// <summary>The admin block list: <c>/api/suppressions/{storeId}</c> behind the API key.</summary>
public sealed class SuppressionAdminTests : IAsyncLifetime
{
    private const string Customer = "id:7", Email = "ana@example.com";
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        await _app.SeedAsync(Customer, Email);
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task blocking_an_address_suppresses_it_and_tells_its_customer()
    {
        var added = await _app.OkAsync(_app.Keyed(HttpMethod.Post, "/api/suppressions/shop", """{"email": " Ana@Example.com ", "reason": "blocked"}"""));

        Assert.Equal("blocked", added.Text("reason"));
        Assert.Equal("admin", added.Text("source"));
        Assert.Equal(1, added.GetProperty("customers").GetInt32());
        Assert.Equal(SuppressionReasons.Blocked, (await _app.Get<SuppressionList>().GetAsync("shop", Email, default))?.Reason);
        Assert.Equal(1, await _app.DrainAsync());
        Assert.Contains(EventTypes.EmailSuppressed, await _app.AppliedAsync(Customer));
    }

    [Fact]
    public async Task the_reason_defaults_to_blocked_and_a_provider_reason_does_not_replace_a_block()
    {
        await _app.OkAsync(_app.Keyed(HttpMethod.Post, "/api/suppressions/shop", """{"email": "bad@example.com"}"""));
        await _app.Get<SuppressionList>().SuppressAsync("shop", "bad@example.com", SuppressionReasons.Bounced, "sendgrid", _app.Clock.GetUtcNow(), default);

        Assert.Equal(SuppressionReasons.Blocked, (await _app.Get<SuppressionList>().GetAsync("shop", "bad@example.com", default))?.Reason);
    }

    [Fact]
    public async Task lifting_unblocks_and_tells_the_customer()
    {
        await _app.OkAsync(_app.Keyed(HttpMethod.Post, "/api/suppressions/shop", $$"""{"email": "{{Email}}"}"""));
        var lifted = await _app.OkAsync(_app.Keyed(HttpMethod.Post, "/api/suppressions/shop/lift", $$"""{"email": "{{Email}}"}"""));

        Assert.True(lifted.GetProperty("lifted").GetBoolean());
        Assert.Equal("blocked", lifted.Text("was"));
        Assert.False((await _app.Get<SuppressionList>().GetAsync("shop", Email, default))!.Suppressed);
        await _app.DrainAsync();
        Assert.Contains(EventTypes.EmailUnsuppressed, await _app.AppliedAsync(Customer));

        var again = await _app.OkAsync(_app.Keyed(HttpMethod.Post, "/api/suppressions/shop/lift", $$"""{"email": "{{Email}}"}"""));
        Assert.False(again.GetProperty("lifted").GetBoolean());
    }

    [Fact]
    public async Task the_list_pages_and_filters_by_reason()
    {
        var list = _app.Get<SuppressionList>();
        for (var i = 0; i < 5; i++)
            await list.SuppressAsync("shop", $"b{i}@example.com", i % 2 == 0 ? SuppressionReasons.Bounced : SuppressionReasons.SpamReport, "sendgrid", _app.Clock.GetUtcNow(), default);
        await list.OptOutAsync("shop", "optout@example.com", "first-order-follow-up", _app.Clock.GetUtcNow(), default);
        await list.SuppressAsync("woo", "other@example.com", SuppressionReasons.Bounced, "sendgrid", _app.Clock.GetUtcNow(), default);

        var first = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/suppressions/shop?max=3"));
        var second = await _app.OkAsync(_app.Keyed(HttpMethod.Get, $"/api/suppressions/shop?max=3&after={first.Text("next")}"));
        var emails = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(e => e.Text("email")).ToList();
        Assert.Equal(5, emails.Distinct().Count());
        Assert.DoesNotContain("optout@example.com", emails);
        Assert.False(second.TryGetProperty("next", out _));

        var bounced = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/suppressions/shop?reason=bounced"));
        Assert.Equal(3, bounced.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task bad_requests_name_the_problem()
    {
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Get, "/api/suppressions/nowhere"), HttpStatusCode.NotFound, "nowhere");
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/suppressions/nowhere", """{"email": "a@example.com"}"""), HttpStatusCode.NotFound, "nowhere");
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Get, "/api/suppressions/shop?reason=angry"), HttpStatusCode.BadRequest, "reason");
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Get, "/api/suppressions/shop?max=0"), HttpStatusCode.BadRequest, "max");
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Get, "/api/suppressions/shop?after=x"), HttpStatusCode.BadRequest, "after");
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/suppressions/shop", """{"email": "not-an-address"}"""), HttpStatusCode.BadRequest, "email");
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/suppressions/shop", """{"reason": "blocked"}"""), HttpStatusCode.BadRequest, "email");
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/suppressions/shop", """{"email": "a@example.com", "reason": "angry"}"""), HttpStatusCode.BadRequest, "reason");
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/suppressions/shop", """{"email": "a@example.com", "until": "2027"}"""), HttpStatusCode.BadRequest, "until");
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/suppressions/shop", """["a@example.com"]"""), HttpStatusCode.BadRequest, "object");
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/suppressions/shop/lift", "{"), HttpStatusCode.BadRequest, "not valid JSON");
        Assert.Null(await _app.Get<SuppressionList>().GetAsync("shop", "a@example.com", default));
    }

    [Theory]
    [InlineData("/api/suppressions/shop")]
    [InlineData("/api/suppressions/shop/lift")]
    public async Task broken_json_is_called_broken_and_located(string path)
    {
        var problem = await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, path, "{\"email\": \"a@"), HttpStatusCode.BadRequest,
            "$", "The body is not valid JSON at line 1, byte 14: Expected end of string");
        Assert.DoesNotContain("such as", problem.GetRawText(), StringComparison.Ordinal);

        problem = await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, path, "{\n  \"email\": \"a@example.com\",\n}"), HttpStatusCode.BadRequest,
            "not valid JSON at line 3, byte 1");
        Assert.DoesNotContain("such as", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Null(await _app.Get<SuppressionList>().GetAsync("shop", "a@example.com", default));
    }

    [Theory]
    [InlineData("/api/suppressions/shop")]
    [InlineData("/api/suppressions/shop/lift")]
    public async Task a_lone_surrogate_escape_is_a_400_naming_the_field_not_a_500(string path)
    {
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, path, "{\"email\": \"a\\uD800@example.com\"}"), HttpStatusCode.BadRequest,
            "email", "Not valid text");
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, path, "{\"\\uD800\": \"a@example.com\"}"), HttpStatusCode.BadRequest,
            "field name is not valid text");
        Assert.Empty((await _app.Get<SuppressionList>().ListAsync("shop", null, 10, null, default)).Entries);
    }

    [Fact]
    public async Task json_that_is_not_an_object_still_gets_the_example()
    {
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/suppressions/shop", "\"a@example.com\""), HttpStatusCode.BadRequest,
            "must be a JSON object such as");
    }

    [Fact]
    public async Task without_the_api_key_the_list_is_closed()
    {
        var (status, _) = await _app.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/suppressions/shop"));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }
}
