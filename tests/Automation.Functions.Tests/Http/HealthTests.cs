using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Automation.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Automation.Functions.Tests.Http;

/// <summary><c>GET /api/health</c> against Azurite, and against a storage account nobody answers for.</summary>
public sealed class HealthTests(ITestOutputHelper output)
{
    [Fact]
    public async Task healthy_when_storage_and_queue_answer()
    {
        await using var app = await TestApp.StartAsync();

        var health = await app.OkAsync(new HttpRequestMessage(HttpMethod.Get, "/api/health"));

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("ok", health.GetProperty("storage").GetString());
        Assert.Equal("ok", health.GetProperty("queue").GetString());
    }

    [Fact]
    public async Task unhealthy_503_naming_storage_and_queue_when_nothing_listens()
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = await ClosedPortConnectionStringAsync() };

        // The app starts anyway (StorageInitializer logs and carries on); the SDK's retries make both slow.
        var clock = Stopwatch.StartNew();
        await using var app = await TestApp.StartAsync(settings);
        var started = clock.Elapsed;
        clock.Restart();
        var (status, body) = await app.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/health"));
        var answered = clock.Elapsed;
        output.WriteLine($"start-up took {started.TotalSeconds:0.0} s; /api/health answered in {answered.TotalSeconds:0.0} s: {body}");

        Assert.True(status == HttpStatusCode.ServiceUnavailable, $"{(int)status}: {body}");
        HttpKit.AssertNoStackTrace(body);
        var health = JsonDocument.Parse(body).RootElement;
        Assert.Equal("unhealthy", health.GetProperty("status").GetString());
        var problems = health.GetProperty("problems");
        Assert.False(string.IsNullOrWhiteSpace(problems.GetProperty("storage").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problems.GetProperty("queue").GetString()));
    }

    /// <summary>The test Azurite's account and key, with both endpoints on port 1, where nothing listens.</summary>
    private static async Task<string> ClosedPortConnectionStringAsync()
    {
        var parts = (await Azurite.ConnectionStringAsync()).Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.OrdinalIgnoreCase);
        var account = parts.GetValueOrDefault("AccountName", "devstoreaccount1");
        Assert.True(parts.TryGetValue("AccountKey", out var key), "the Azurite connection string has no AccountKey");
        return $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={key};" +
               $"TableEndpoint=http://127.0.0.1:1/{account};QueueEndpoint=http://127.0.0.1:1/{account};";
    }
}
