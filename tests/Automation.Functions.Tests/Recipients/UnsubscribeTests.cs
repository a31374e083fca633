using System.Net;
using System.Net.Http.Headers;
using Automation.Core.Events;
using Automation.Functions.Recipients;
using Automation.Functions.Suppression;
using Automation.Functions.Tests.Http;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Recipients;

/// <summary>The unsubscribe page through the real pipeline against Azurite: the choice, one-click (RFC 8058), and what each writes.</summary>
public sealed class UnsubscribeTests : IAsyncLifetime
{
    private const string Customer = "id:7", Email = "Ana@Example.com";
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(new() { ["Automation:Stores:shop:Name"] = "Ana's <Shop>" });
        await _app.SeedAsync(Customer, Email);
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private string Path(string token) => "/api/r/unsubscribe/" + token;

    [Fact]
    public async Task the_page_offers_all_or_this_kind_and_changes_nothing()
    {
        using var response = await _app.Http.GetAsync(Path(_app.Link(LinkPurposes.Unsubscribe, Customer)));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("All email from Ana&#39;s &lt;Shop&gt;", html, StringComparison.Ordinal);
        Assert.Contains("value=\"all\" checked", html, StringComparison.Ordinal);
        Assert.Contains("Only “First-order follow-up” emails", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<form method=\"post\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ana@example.com", html, StringComparison.OrdinalIgnoreCase);
        AssertPrivateHeaders(response);

        Assert.Null(await _app.Get<SuppressionList>().GetAsync(RecipientKit.Store, Email, default));
        Assert.Equal(0, await _app.DrainAsync());
        Assert.Equal("subscribed", (await _app.ProfileAsync(Customer))!.Consent.State);
    }

    [Fact]
    public async Task one_click_form_post_unsubscribes_from_everything_at_once_without_a_redirect()
    {
        using var response = await _app.Http.PostAsync(Path(_app.Link(LinkPurposes.Unsubscribe, Customer)),
            RecipientKit.Form(("List-Unsubscribe", "One-Click")));

        await AssertUnsubscribedFromAllAsync(response);
    }

    [Fact]
    public async Task one_click_multipart_post_unsubscribes_from_everything_at_once()
    {
        using var multipart = new MultipartFormDataContent { { new StringContent("One-Click"), "List-Unsubscribe" } };
        using var response = await _app.Http.PostAsync(Path(_app.Link(LinkPurposes.Unsubscribe, Customer)), multipart);

        await AssertUnsubscribedFromAllAsync(response);
    }

    [Fact]
    public async Task choosing_only_this_kind_opts_out_of_the_journey_alone()
    {
        using var response = await _app.Http.PostAsync(Path(_app.Link(LinkPurposes.Unsubscribe, Customer)), RecipientKit.Form(("scope", "journey")));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no more “First-order follow-up” emails", html, StringComparison.OrdinalIgnoreCase);
        var entry = await _app.Get<SuppressionList>().GetAsync(RecipientKit.Store, Email, default);
        Assert.NotNull(entry);
        Assert.False(entry.Suppressed);
        Assert.Equal(["first-order-follow-up"], entry.OptedOut);
        var told = Assert.Single(await _app.QueuedAsync());
        Assert.Equal(("journey", "first-order-follow-up"), ((string?)told.Data!["scope"], (string?)told.Data["journey"]));
        Assert.Null(told.Customer); // only this kind: consent to marketing as a whole is unchanged
        Assert.Equal(1, await _app.DrainAsync());
        Assert.Contains(EventTypes.EmailUnsubscribed, await _app.AppliedAsync(Customer));
        Assert.Equal("subscribed", (await _app.ProfileAsync(Customer))!.Consent.State);
    }

    [Fact]
    public async Task the_same_link_posted_twice_is_applied_once()
    {
        var link = Path(_app.Link(LinkPurposes.Unsubscribe, Customer));
        for (var i = 0; i < 2; i++)
        {
            using var response = await _app.Http.PostAsync(link, RecipientKit.Form(("List-Unsubscribe", "One-Click")));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await _app.DrainAsync();
        Assert.Single(await _app.AppliedAsync(Customer), t => t == EventTypes.EmailUnsubscribed);
    }

    [Fact]
    public async Task a_customer_without_a_profile_still_sees_a_confirmation()
    {
        using var response = await _app.Http.PostAsync(Path(_app.Link(LinkPurposes.Unsubscribe, "id:404")), RecipientKit.Form(("List-Unsubscribe", "One-Click")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("You are unsubscribed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await _app.DrainAsync());
    }

    [Fact]
    public async Task a_post_that_is_not_a_form_or_has_an_unknown_choice_is_refused_and_writes_nothing()
    {
        var link = Path(_app.Link(LinkPurposes.Unsubscribe, Customer));
        using var json = await _app.Http.PostAsync(link, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        using var odd = await _app.Http.PostAsync(link, RecipientKit.Form(("scope", "everything")));
        using var noJourney = await _app.Http.PostAsync(Path(_app.Link(LinkPurposes.Unsubscribe, Customer, journey: null)), RecipientKit.Form(("scope", "journey")));

        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Contains("form", await json.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, odd.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noJourney.StatusCode);
        Assert.Null(await _app.Get<SuppressionList>().GetAsync(RecipientKit.Store, Email, default));
        Assert.Equal(0, await _app.DrainAsync());
    }

    [Fact]
    public async Task every_bad_link_gets_the_same_plain_page()
    {
        var good = _app.Link(LinkPurposes.Unsubscribe, Customer);
        var expired = _app.Link(LinkPurposes.Unsubscribe, Customer, lifetime: TimeSpan.FromHours(1));
        _app.Clock.Advance(TimeSpan.FromHours(2));
        var bad = new[]
        {
            good[..^3] + (good[^3] == 'x' ? "y" : "x") + good[^2..],
            expired,
            _app.Link(LinkPurposes.Survey, Customer), // a survey link is not an unsubscribe link
            _app.Link(LinkPurposes.Unsubscribe, Customer, store: "nowhere"),
            "garbage",
        };

        var pages = new List<(HttpStatusCode, string)>();
        foreach (var token in bad)
        {
            using var get = await _app.Http.GetAsync(Path(token));
            pages.Add((get.StatusCode, await get.Content.ReadAsStringAsync()));
            using var post = await _app.Http.PostAsync(Path(token), RecipientKit.Form(("List-Unsubscribe", "One-Click")));
            pages.Add((post.StatusCode, await post.Content.ReadAsStringAsync()));
            AssertPrivateHeaders(post);
        }

        var (status, body) = Assert.Single(pages.Distinct());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("This link is invalid or has expired", body, StringComparison.Ordinal);
        Assert.Null(await _app.Get<SuppressionList>().GetAsync(RecipientKit.Store, Email, default));
        Assert.Equal(0, await _app.DrainAsync());
    }

    private async Task AssertUnsubscribedFromAllAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("no more marketing email from Ana&#39;s &lt;Shop&gt;", html, StringComparison.Ordinal);
        AssertPrivateHeaders(response);

        // Written before the answer: the next send's policy check sees it whatever the queue is doing.
        var entry = await _app.Get<SuppressionList>().GetAsync(RecipientKit.Store, Email, default);
        Assert.Equal(SuppressionReasons.Unsubscribed, entry?.Reason);
        Assert.Equal(UnsubscribePage.Source, entry?.Source);

        var told = Assert.Single(await _app.QueuedAsync());
        Assert.Equal(EventTypes.EmailUnsubscribed, told.Type);
        Assert.Equal("all", (string?)told.Data!["scope"]);
        Assert.Equal(UnsubscribePage.Source, (string?)told.Data["source"]);
        Assert.Equal(1, await _app.DrainAsync());
        var consent = (await _app.ProfileAsync(Customer))!.Consent;
        Assert.Equal("unsubscribed", consent.State);
        Assert.Equal(UnsubscribePage.Source, consent.Source);
        Assert.Equal(_app.Clock.GetUtcNow(), consent.At);
    }

    internal static void AssertPrivateHeaders(HttpResponseMessage response)
    {
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("noindex, nofollow", string.Join(", ", response.Headers.GetValues("X-Robots-Tag")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
    }
}
