using System.Net;
using System.Text.Json;
using Automation.Core.Events;
using Automation.Functions.Tests.Http;
using Automation.Functions.Tests.JourneyRuntime;

namespace Automation.Functions.Tests.Email;

/// <summary>Without a SendGrid key, journey emails are captured and listed by <c>GET /api/outbox</c>, rendered as they would be sent.</summary>
public sealed class CapturedOutboxTests : IAsyncLifetime
{
    private RuntimeKit _kit = null!;
    private DateTimeOffset Now => _kit.App.Clock.GetUtcNow();

    public async Task InitializeAsync()
    {
        _kit = await RuntimeKit.StartAsync();
        await _kit.InstallAsync(JourneyRuntimeTests.Welcome);
    }

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    private CustomerEvent Order(string customer, string? locale) => RuntimeKit.Order("api-" + customer, "o-" + customer, Now, customer) is var e
        ? e with { Customer = e.Customer! with { Locale = locale } } : e;

    private Task<JsonElement> OutboxAsync(string query) => _kit.App.OkAsync(_kit.App.Keyed(HttpMethod.Get, "/api/outbox?" + query));

    [Fact]
    public async Task a_journey_email_is_listed_rendered_in_the_customers_locale_with_its_headers()
    {
        await _kit.PostAsync(Order("id:7", "pt-BR"));
        await _kit.AdvanceAsync("P1D");

        var email = Assert.Single((await OutboxAsync("storeId=custom&customerId=7")).EnumerateArray());
        Assert.Equal("ana@example.com", email.GetProperty("to").GetString());
        Assert.Equal("Obrigado pelo seu primeiro pedido, Ana!", email.GetProperty("subject").GetString());
        Assert.Equal(("first-order-thank-you", "pt-BR", "marketing"), (email.GetProperty("template").GetString(), email.GetProperty("locale").GetString(), email.GetProperty("category").GetString()));
        var headers = email.GetProperty("headers");
        Assert.StartsWith("<https://links.example.test/api/r/unsubscribe/", headers.GetProperty("List-Unsubscribe").GetString(), StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", headers.GetProperty("List-Unsubscribe-Post").GetString());
        var code = (await _kit.InstanceAsync("welcome"))!.Coupons.Single().Value.Code;
        var html = email.GetProperty("html").GetString()!;
        Assert.Contains(code, html, StringComparison.Ordinal);
        Assert.Contains("1 High Street, London N1 1AA", html, StringComparison.Ordinal);
        Assert.Contains("Cancelar inscrição", email.GetProperty("text").GetString(), StringComparison.Ordinal);
        var args = email.GetProperty("customArgs");
        Assert.Equal(("id:7", "welcome", "email", "1", "custom"), (args.GetProperty("customer").GetString(), args.GetProperty("journey").GetString(),
            args.GetProperty("step").GetString(), args.GetProperty("run").GetString(), args.GetProperty("store").GetString()));
        Assert.Equal("captured-" + args.GetProperty("send_id").GetString(), email.GetProperty("messageId").GetString());
        Assert.Equal(["welcome", "first-order-thank-you"], email.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("Custom Goods", email.GetProperty("from").GetProperty("name").GetString());
        var history = (await _kit.InstanceAsync("welcome"))!.History;
        Assert.Contains(history, h => h.Outcome == "emailSent" && h.Detail == email.GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task the_list_is_newest_first_filtered_by_customer_and_capped()
    {
        await _kit.PostAsync(Order("id:7", "fr"));
        await _kit.AdvanceAsync("PT1H");
        await _kit.PostAsync(Order("id:8", "ru"));
        await _kit.AdvanceAsync("P1D");

        var all = (await OutboxAsync("storeId=custom")).EnumerateArray().ToList();
        Assert.Equal(["ru", "fr"], all.Select(e => e.GetProperty("locale").GetString()));
        Assert.StartsWith("Спасибо за ваш первый заказ", all[0].GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.Equal("fr", Assert.Single((await OutboxAsync("storeId=custom&customerId=7")).EnumerateArray()).GetProperty("locale").GetString());
        Assert.Equal("fr", Assert.Single((await OutboxAsync("storeId=custom&customerId=id:7")).EnumerateArray()).GetProperty("locale").GetString());
        Assert.Single((await OutboxAsync("storeId=custom&max=1")).EnumerateArray());
        Assert.Empty((await OutboxAsync("storeId=shop")).EnumerateArray());
    }

    [Theory]
    [InlineData("customerId=7", HttpStatusCode.BadRequest, "storeId")]
    [InlineData("storeId=custom&max=0", HttpStatusCode.BadRequest, "max")]
    [InlineData("storeId=custom&max=many", HttpStatusCode.BadRequest, "max")]
    [InlineData("storeId=custom&max=1001", HttpStatusCode.BadRequest, "max")]
    [InlineData("storeId=custom&customerId=a%20b", HttpStatusCode.BadRequest, "customerId")]
    [InlineData("storeId=custom&customer=7", HttpStatusCode.BadRequest, "customer")]
    [InlineData("storeId=nowhere", HttpStatusCode.NotFound, "nowhere")]
    public async Task bad_parameters_are_named(string query, HttpStatusCode status, string mentions)
    {
        var (actual, body) = await _kit.App.SendAsync(_kit.App.Keyed(HttpMethod.Get, "/api/outbox?" + query));

        Assert.Equal(status, actual);
        Assert.Contains(mentions, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_outbox_needs_the_api_key_and_the_old_dev_route_is_gone()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _kit.App.Http.GetAsync(new Uri("/api/outbox?storeId=custom", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _kit.App.SendAsync(_kit.App.Keyed(HttpMethod.Get, "/api/dev/emails"))).Status);
    }

    [Fact]
    public async Task a_store_without_a_physical_address_gets_no_marketing_email_and_the_history_says_why()
    {
        await using var kit = await RuntimeKit.StartAsync(new() { ["Automation:Stores:custom:PhysicalAddress"] = "" });
        await kit.InstallAsync(JourneyRuntimeTests.Welcome);
        await kit.PostAsync(RuntimeKit.Order("api-1", "o1", kit.App.Clock.GetUtcNow()));
        await kit.AdvanceAsync("P1D");

        Assert.Empty(await kit.EmailsAsync());
        Assert.Contains((await kit.InstanceAsync("welcome"))!.History, h => h.Outcome == "emailFailed" && h.Detail!.Contains("physical address", StringComparison.Ordinal));
    }
}
