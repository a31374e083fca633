using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Http;

/// <summary>What the end-to-end HTTP tests share: fixtures, sending, and reading answers.</summary>
internal static class HttpKit
{
    /// <summary>A real-shaped payload copied to the test output from Automation.Core.Tests/Payloads.</summary>
    public static byte[] Fixture(string platform, string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", platform, name));

    /// <summary>
    /// A fixture with some members changed. JsonNode keeps the literal digits of numbers it does
    /// not touch, so the ids above 2^53 reach the app exactly as Shopify sends them.
    /// </summary>
    public static byte[] Fixture(string platform, string name, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(Fixture(platform, name))!.AsObject();
        change(node);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(this TestApp app, HttpRequestMessage request)
    {
        using (request)
        using (var response = await app.Http.SendAsync(request))
        {
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Sends and asserts a 2xx answer; returns the body as JSON.</summary>
    public static async Task<JsonElement> OkAsync(this TestApp app, HttpRequestMessage request, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (status, body) = await app.SendAsync(request);
        Assert.True(status == expected, $"expected {(int)expected}, got {(int)status}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>GET /api/customers/{store}/{id} (or POST …/lookup with the email) as JSON; null when it answers 404.</summary>
    public static async Task<JsonElement?> CustomerAsync(this TestApp app, string store, string? id = null, string? email = null)
    {
        var path = id is not null ? $"/api/customers/{store}/{Uri.EscapeDataString(id)}" : $"/api/customers/{store}/lookup";
        var (status, body) = await app.SendAsync(id is not null ? app.Keyed(HttpMethod.Get, path)
            : app.Keyed(HttpMethod.Post, path, JsonSerializer.Serialize(new { email })));
        if (status == HttpStatusCode.NotFound) return null;
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The customer's JSON as the API shows it, or "404" when there is none: to compare before and after.</summary>
    public static async Task<string> CustomerTextAsync(this TestApp app, string store, string id)
    {
        var (status, body) = await app.SendAsync(app.Keyed(HttpMethod.Get, $"/api/customers/{store}/{Uri.EscapeDataString(id)}"));
        return status == HttpStatusCode.NotFound ? "404" : body;
    }

    /// <summary>
    /// Asserts an RFC 9457 problem with this status whose <c>detail</c> or <c>errors</c> mention
    /// every one of <paramref name="mentions"/>, and that no exception leaks into it.
    /// </summary>
    public static JsonElement AssertProblem(HttpStatusCode expected, HttpStatusCode status, string body, string contentType, params string[] mentions)
    {
        Assert.True(status == expected, $"expected {(int)expected}, got {(int)status}: {body}");
        Assert.Equal("application/problem+json", contentType);
        AssertNoStackTrace(body);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        var said = (problem.TryGetProperty("detail", out var detail) ? detail.GetString() : "") + " " +
                   (problem.TryGetProperty("errors", out var errors) ? errors.GetRawText() : "");
        foreach (var m in mentions)
            Assert.True(said.Contains(m, StringComparison.OrdinalIgnoreCase), $"the problem does not mention '{m}': {body}");
        return problem;
    }

    /// <summary>Sends, and asserts the answer is the problem <see cref="AssertProblem"/> describes.</summary>
    public static async Task<JsonElement> ProblemAsync(this TestApp app, HttpRequestMessage request, HttpStatusCode expected, params string[] mentions)
    {
        using (request)
        using (var response = await app.Http.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            return AssertProblem(expected, response.StatusCode, body, response.Content.Headers.ContentType?.MediaType ?? "", mentions);
        }
    }

    public static void AssertNoStackTrace(string body)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    /// <summary>The field names of a validation problem's <c>errors</c>.</summary>
    public static IReadOnlyList<string> ErrorFields(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();

    public static string Text(this JsonElement e, string name) => e.GetProperty(name).GetString()!;
}

/// <summary>A body of unknown length: HttpClient sends it chunked, with no Content-Length.</summary>
internal sealed class ChunkedContent(byte[] body) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        for (var i = 0; i < body.Length; i += 64 * 1024)
            await stream.WriteAsync(body.AsMemory(i, Math.Min(64 * 1024, body.Length - i)));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
