using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Functions.Tests.Http;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Holidays;

/// <summary>The stores the holiday tests use, and reading and writing market calendars through the API.</summary>
internal static class HolidayKit
{
    /// <summary><c>custom</c> sells in GB and DE, <c>shop</c> in the US (from its Country), <c>woo</c> in ES and NL (nothing ships for NL), <c>india</c> in IN.</summary>
    public static Dictionary<string, string?> Stores => new()
    {
        ["Automation:Stores:custom:Markets"] = "GB, de",
        ["Automation:Stores:shop:Country"] = "US",
        ["Automation:Stores:woo:Markets"] = "ES,NL",
        ["Automation:Stores:india:Platform"] = "custom",
        ["Automation:Stores:india:TimeZone"] = "Asia/Kolkata",
        ["Automation:Stores:india:Markets"] = "IN",
    };

    public sealed record Calendar(HttpStatusCode Status, string ETag, string Source, JsonObject Document);

    public static async Task<Calendar> SendCalendarAsync(this TestApp app, HttpRequestMessage request)
    {
        using (request)
        using (var response = await app.Http.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            return new Calendar(response.StatusCode, response.Headers.ETag!.ToString(),
                string.Join(",", response.Headers.GetValues("Holiday-Calendar")), JsonNode.Parse(body)!.AsObject());
        }
    }

    public static Task<Calendar> GetCalendarAsync(this TestApp app, string store, string market) =>
        app.SendCalendarAsync(app.Keyed(HttpMethod.Get, $"/api/holidays/{store}/markets/{market}"));

    public static HttpRequestMessage Put(this TestApp app, string store, string market, string json, string? ifMatch = null)
    {
        var request = app.Keyed(HttpMethod.Put, $"/api/holidays/{store}/markets/{market}", json);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    public static HttpRequestMessage Delete(this TestApp app, string store, string market, string? ifMatch = null)
    {
        var request = app.Keyed(HttpMethod.Delete, $"/api/holidays/{store}/markets/{market}");
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    /// <summary>The document with one more holiday, as a marketer's edit.</summary>
    public static string WithHoliday(JsonObject document, string holiday)
    {
        var copy = document.DeepClone().AsObject();
        copy["holidays"]!.AsArray().Add(JsonNode.Parse(holiday));
        return copy.ToJsonString();
    }

    /// <summary><c>GET /api/holidays/{store}</c>'s occurrences as <c>yyyy-MM-dd market id</c>.</summary>
    public static IReadOnlyList<string> Lines(JsonElement occurrences) =>
        [.. occurrences.GetProperty("occurrences").EnumerateArray().Select(o => $"{o.Text("date")} {o.Text("market")} {o.Text("holiday")}")];
}
