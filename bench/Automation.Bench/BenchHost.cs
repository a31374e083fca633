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
/// Azurite, with the real clock and one Shopify store. Its queue consumer does not loop: the
/// bench drains the queue itself, so webhook and consumer are timed apart.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    public const string Store = "bench-shop";
    public const string ShopDomain = "bench-shop.myshopify.com";
    public const string Secret = "bench-shopify-secret";

    private readonly WebApplication _app;

    public HttpClient Http { get; }
    public StorageOperationCounter Counter => _app.Services.GetRequiredService<StorageOperationCounter>();
    public StorageQueueConsumer Consumer => _app.Services.GetRequiredService<StorageQueueConsumer>();

    /// <summary>Signalled when the host's console lifetime receives SIGINT or SIGTERM.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    private BenchHost(WebApplication app, int connections)
    {
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false };
        Http = new HttpClient(handler) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<BenchHost> StartAsync(string storageConnection, int connections, LogCounter logs, CancellationToken ct)
    {
        var config = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storageConnection,
            ["Automation:StoragePrefix"] = "bench",
            ["Automation:AdminApiKey"] = Convert.ToHexString(Guid.NewGuid().ToByteArray()),
            ["Automation:RunLocalConsumer"] = "false",
            ["Automation:QueueKind"] = "StorageQueue",
            [$"Automation:Stores:{Store}:Platform"] = "shopify",
            [$"Automation:Stores:{Store}:WebhookSecret"] = Secret,
            [$"Automation:Stores:{Store}:ShopDomain"] = ShopDomain,
            [$"Automation:Stores:{Store}:TimeZone"] = "America/Toronto",
            [$"Automation:Stores:{Store}:Currency"] = "CAD",
            ["urls"] = "http://127.0.0.1:0",
        };
        var app = AutomationApp.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(config);
            b.Logging.ClearProviders();
            // Only warnings and the processor's per-event lines (conflicts) reach the counter.
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            b.Logging.AddFilter("Automation.Functions.Events.EventProcessor", LogLevel.Debug);
            b.Logging.AddProvider(logs);
        }, readLocalSettings: false);
        await app.StartAsync(ct);
        return new BenchHost(app, connections);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
