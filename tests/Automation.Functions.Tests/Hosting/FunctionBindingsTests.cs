using System.Text.Json.Nodes;
using Automation.Functions.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Automation.Functions.Tests.Hosting;

/// <summary>
/// In Azure a request reaches the handler only if some function's <c>function.json</c> claims it: the
/// Functions host routes first (ASP.NET Core route templates under <c>routePrefix</c>), then proxies the
/// request unchanged. So every route the app maps under <c>/api</c> must be matched by exactly one HTTP
/// function with its method, every HTTP function must lead somewhere, and every other trigger must be
/// answered at <c>POST /{FunctionName}</c>, where the host posts its invocations.
/// </summary>
public sealed class FunctionBindingsTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private sealed record Function(string Name, string Type, JsonObject Trigger)
    {
        public string[] Methods => Trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).ToArray();

        public TemplateMatcher Matcher => new(TemplateParser.Parse(RoutePrefix + "/" + Trigger["route"]!.GetValue<string>()), new RouteValueDictionary());
    }

    private static readonly string RoutePrefix = JsonNode.Parse(File.ReadAllText(Path.Combine(Azurite.RepoRoot(), "host.json")))!
        ["extensions"]!["http"]!["routePrefix"]!.GetValue<string>();

    private static List<Function> Functions() =>
        Directory.GetDirectories(Path.Combine(Azurite.RepoRoot(), "functions", "Automation.Functions", "bindings"))
            .Select(dir =>
            {
                var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "function.json")))!.AsObject();
                var trigger = json["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => b["direction"]!.GetValue<string>() == "in");
                return new Function(Path.GetFileName(dir), trigger["type"]!.GetValue<string>(), trigger);
            })
            .ToList();

    /// <summary>The app's /api routes with a concrete path for each (parameters filled in) and their methods.</summary>
    private List<(string Pattern, string Path, string[] Methods)> ApiRoutes() =>
        _app.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .Select(e => (
                e.RoutePattern.RawText!,
                "/" + string.Join('/', e.RoutePattern.PathSegments.Select(s => s.IsSimple && s.Parts[0] is Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart lit ? lit.Content : "x1")),
                e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.ToArray() ?? []))
            .ToList();

    private static bool Matches(Function f, string path) => f.Matcher.TryMatch(path, new RouteValueDictionary());

    [Fact]
    public void Every_api_route_is_claimed_by_exactly_one_http_function_that_allows_its_methods()
    {
        var http = Functions().Where(f => f.Type == "httpTrigger").ToList();
        var routes = ApiRoutes();
        Assert.NotEmpty(routes);
        Assert.All(routes, route =>
        {
            var claimed = http.Where(f => Matches(f, route.Path)).ToList();
            Assert.True(claimed.Count == 1, $"{route.Pattern} is claimed by {claimed.Count} functions ({string.Join(", ", claimed.Select(f => f.Name))}): it must be one.");
            Assert.NotEmpty(route.Methods);
            foreach (var method in route.Methods)
                Assert.True(claimed[0].Methods.Contains(method), $"{claimed[0].Name} does not allow {method} {route.Pattern}.");
        });
    }

    [Fact]
    public void Every_http_function_leads_to_a_route_of_the_app_for_each_method_it_allows()
    {
        var routes = ApiRoutes();
        Assert.All(Functions().Where(f => f.Type == "httpTrigger"), f =>
        {
            var served = routes.Where(r => Matches(f, r.Path)).ToList();
            Assert.True(served.Count > 0, $"{f.Name} ({f.Trigger["route"]}) claims no route the app maps.");
            foreach (var method in f.Methods)
                Assert.True(served.Any(r => r.Methods.Contains(method)), $"{f.Name} allows {method}, which none of its routes answers.");
            // Our own filters decide who may call (admin key, webhook signatures, signed links): function keys would only add a second secret to every URL.
            Assert.Equal("anonymous", f.Trigger["authLevel"]!.GetValue<string>());
        });
    }

    [Fact]
    public void Every_other_trigger_is_answered_where_the_host_posts_it()
    {
        var invoked = _app.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Select(e => e.RoutePattern.RawText!.TrimStart('/'))
            .ToHashSet(StringComparer.Ordinal);
        var others = Functions().Where(f => f.Type != "httpTrigger").ToList();
        Assert.Contains(others, f => f is { Name: "ProcessEvents", Type: "serviceBusTrigger" });
        Assert.Contains(others, f => f is { Name: "SweepTimers", Type: "timerTrigger" });
        Assert.All(others, f => Assert.True(invoked.Contains(f.Name), $"The host posts {f.Name} invocations to /{f.Name}, which the app does not map."));
    }

    [Fact]
    public void The_service_bus_trigger_reads_the_session_enabled_queue_as_bytes_through_the_identity_based_connection()
    {
        var trigger = Functions().Single(f => f.Name == "ProcessEvents").Trigger;
        Assert.True(trigger["isSessionsEnabled"]!.GetValue<bool>());
        Assert.Equal("binary", trigger["dataType"]!.GetValue<string>());
        // A literal, not %Automation__ServiceBus__QueueName%: the host resolves %…% through configuration, where
        // "__" has become ":", so a name with "__" is never found and the function would not load. The app
        // publishes to its default queue name, the one the Bicep creates (a deploy test holds all three equal).
        Assert.Equal(new Automation.Functions.Queues.ServiceBusOptions().QueueName, trigger["queueName"]!.GetValue<string>());
        Assert.DoesNotContain("%", trigger.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("ServiceBusConnection", trigger["connection"]!.GetValue<string>());
        Assert.Equal("0 * * * * *", Functions().Single(f => f.Name == "SweepTimers").Trigger["schedule"]!.GetValue<string>());
    }
}
