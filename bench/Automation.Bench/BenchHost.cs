using Automation.Functions.Hosting;
using Automation.Functions.Queues;
using Automation.Functions.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Automation.Bench;

/// <summary>
/// The real app (the production composition root) on Kestrel at a free loopback port, against
/// Azurite, with one Shopify store. Its queue consumer and timer sweeper do not loop: the bench
/// drains the queue and sweeps the timers itself, so each phase is timed apart. For the ingestion
/// figures it runs on the real clock without journeys; for the journey figures on the app's
/// virtual clock (<c>Automation:Clock=Virtual</c>) with the shipped journeys installed.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    public const string Store = "bench-shop";
    public const string ShopDomain = "bench-shop.myshopify.com";
    public const string Secret = "bench-shopify-secret";
    public const string StoragePrefix = "bench";

    private readonly WebApplication _app;

    public HttpClient Http { get; }
    public StorageOperationCounter Counter => _app.Services.GetRequiredService<StorageOperationCounter>();
    public StorageQueueConsumer Consumer => _app.Services.GetRequiredService<StorageQueueConsumer>();
    public string ApiKey { get; }

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Signalled when the host's console lifetime receives SIGINT or SIGTERM.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    private BenchHost(WebApplication app, int connections, string apiKey)
    {
        _app = app;
        ApiKey = apiKey;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false };
        Http = new HttpClient(handler) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <param name="journeys">Virtual clock and the shipped journeys installed; otherwise the real clock and no journeys.</param>
    /// <param name="settings">More settings, or settings to replace (another store, SendGrid).</param>
    public static async Task<BenchHost> StartAsync(string storageConnection, int connections, LogCounter logs, bool journeys, CancellationToken ct,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var apiKey = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var config = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storageConnection,
            ["Automation:StoragePrefix"] = StoragePrefix,
            ["Automation:AdminApiKey"] = apiKey,
            ["Automation:RunLocalConsumer"] = "false",
            ["Automation:RunLocalSweeper"] = "false",
            ["Automation:InstallShippedJourneys"] = journeys ? "true" : "false",
            ["Automation:Clock"] = journeys ? "Virtual" : "System",
            ["Automation:QueueKind"] = "StorageQueue",
            [$"Automation:Stores:{Store}:Platform"] = "shopify",
            [$"Automation:Stores:{Store}:WebhookSecret"] = Secret,
            [$"Automation:Stores:{Store}:ShopDomain"] = ShopDomain,
            [$"Automation:Stores:{Store}:TimeZone"] = "America/Toronto",
            [$"Automation:Stores:{Store}:Currency"] = "CAD",
            // What every real email needs (stage 3): a sender identity, the footer's postal address and a link-signing key.
            [$"Automation:Stores:{Store}:Name"] = "Bench Store",
            [$"Automation:Stores:{Store}:PhysicalAddress"] = "1 Bench Street, Toronto",
            [$"Automation:Stores:{Store}:FromEmail"] = "hello@bench.example",
            ["Automation:Links:BaseUrl"] = "https://links.bench.example",
            ["Automation:Links:SigningKeys:0:Id"] = "b1",
            ["Automation:Links:SigningKeys:0:Secret"] = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray()),
            ["urls"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;
        var app = AutomationApp.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(config);
            b.Logging.ClearProviders();
            // Only warnings, the processor's per-event lines (applied, conflicts) and the outbox's
            // per-action lines reach the counter.
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            b.Logging.AddFilter("Automation.Functions.Events.EventProcessor", LogLevel.Debug);
            b.Logging.AddFilter("Automation.Functions.Journeys.Outbox.OutboxDispatcher", LogLevel.Information);
            b.Logging.AddProvider(logs);
        }, readLocalSettings: false);
        await app.StartAsync(ct);
        return new BenchHost(app, connections, apiKey);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
