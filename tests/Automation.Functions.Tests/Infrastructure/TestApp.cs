using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Automation.Functions.Hosting;
using Automation.Functions.Queues;
using Automation.Functions.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Automation.Functions.Tests.Infrastructure;

/// <summary>
/// The real app (the same composition root as production) on Kestrel at a free loopback port,
/// against Azurite, with a fake clock. The queue consumer does not loop: tests drain it.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string ApiKey = "test-admin-key";
    public const string ShopifySecret = "shopify-test-secret";
    public const string WooSecret = "woo-test-secret";
    public const string LinkSecret = "link-test-secret-0123456789abcdef0123456789";

    private readonly WebApplication _app;
    public HttpClient Http { get; }
    public FakeTimeProvider Clock { get; }
    public IServiceProvider Services => _app.Services;
    public string StoragePrefix { get; }

    private TestApp(WebApplication app, FakeTimeProvider clock, string prefix)
    {
        _app = app;
        Clock = clock;
        StoragePrefix = prefix;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    /// <param name="watchClock">Wraps the fake clock the app sees (to observe its timers); the test still moves <see cref="Clock"/>.</param>
    public static async Task<TestApp> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        Func<FakeTimeProvider, TimeProvider>? watchClock = null)
    {
        var connection = await Azurite.ConnectionStringAsync();
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        var config = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connection,
            ["Automation:StoragePrefix"] = prefix,
            ["Automation:AdminApiKey"] = ApiKey,
            ["Automation:RunLocalConsumer"] = "false",
            ["Automation:RunLocalSweeper"] = "false",
            ["Automation:Links:BaseUrl"] = "https://links.example.test",
            ["Automation:Links:SigningKeys:0:Id"] = "t1",
            ["Automation:Links:SigningKeys:0:Secret"] = LinkSecret,
            ["Automation:Stores:shop:Platform"] = "shopify",
            ["Automation:Stores:shop:WebhookSecret"] = ShopifySecret,
            ["Automation:Stores:shop:ShopDomain"] = "example-shop.myshopify.com",
            ["Automation:Stores:shop:TimeZone"] = "America/New_York",
            ["Automation:Stores:woo:Platform"] = "woocommerce",
            ["Automation:Stores:woo:WebhookSecret"] = WooSecret,
            ["Automation:Stores:woo:TimeZone"] = "Europe/Madrid",
            ["Automation:Stores:woo:Currency"] = "EUR",
            ["Automation:Stores:custom:Platform"] = "custom",
            ["Automation:Stores:custom:TimeZone"] = "Europe/London",
            ["Automation:Stores:custom:Currency"] = "GBP",
            ["urls"] = "http://127.0.0.1:0",
        };
        foreach (var (k, v) in settings ?? []) config[k] = v;

        var app = AutomationApp.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(config);
            b.Logging.ClearProviders();
            b.Services.AddSingleton(watchClock?.Invoke(clock) ?? clock);
            b.Services.AddSingleton<Automation.Functions.Dev.IClockMover>(new FakeClockMover(clock));
            services?.Invoke(b.Services);
        }, readLocalSettings: false);
        await app.StartAsync();
        return new TestApp(app, clock, prefix);
    }

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public StorageOperationCounter Counter => Get<StorageOperationCounter>();

    /// <summary>Processes everything queued so far, as the consumer loop or the Service Bus trigger would.</summary>
    public Task<int> DrainAsync() => Get<StorageQueueConsumer>().DrainAsync(CancellationToken.None);

    public HttpRequestMessage Keyed(HttpMethod method, string path, string? json = null)
    {
        var r = new HttpRequestMessage(method, path);
        r.Headers.Add("X-Api-Key", ApiKey);
        if (json is not null) r.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return r;
    }

    public static string Sign(string secret, byte[] body) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public HttpRequestMessage Shopify(string topic, byte[] body, string? eventId = null, string store = "shop", string? signature = null)
    {
        var r = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/shopify/{store}") { Content = new ByteArrayContent(body) };
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        r.Headers.Add("X-Shopify-Topic", topic);
        r.Headers.Add("X-Shopify-Hmac-Sha256", signature ?? Sign(ShopifySecret, body));
        r.Headers.Add("X-Shopify-Shop-Domain", "example-shop.myshopify.com");
        r.Headers.Add("X-Shopify-API-Version", "2025-10");
        r.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
        r.Headers.Add("X-Shopify-Event-Id", eventId ?? Guid.NewGuid().ToString());
        return r;
    }

    public HttpRequestMessage Woo(string topic, byte[] body, string? deliveryId = null, string? signature = null)
    {
        var r = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/woocommerce/woo") { Content = new ByteArrayContent(body) };
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        r.Headers.Add("X-WC-Webhook-Source", "https://woo.example/");
        r.Headers.Add("X-WC-Webhook-Topic", topic);
        r.Headers.Add("X-WC-Webhook-Resource", topic.Split('.')[0]);
        r.Headers.Add("X-WC-Webhook-Event", topic.Split('.')[1]);
        r.Headers.Add("X-WC-Webhook-Signature", signature ?? Sign(WooSecret, body));
        r.Headers.Add("X-WC-Webhook-ID", "12");
        r.Headers.Add("X-WC-Webhook-Delivery-ID", deliveryId ?? Guid.NewGuid().ToString("N"));
        return r;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Lets <c>POST /api/dev/clock</c> move the tests' fake clock, as it moves the virtual one.</summary>
internal sealed class FakeClockMover(FakeTimeProvider clock) : Automation.Functions.Dev.IClockMover
{
    public void MoveTo(DateTimeOffset at)
    {
        if (at > clock.GetUtcNow()) clock.SetUtcNow(at);
    }
}
