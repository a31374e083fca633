using System.Net;
using System.Text.Json;
using Automation.Functions.Tests.Http;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Journeys;

/// <summary>Definitions and calls the journeys API tests share. The catalog is the shipped one (templates/, journeys/catalog.json).</summary>
internal static class JourneyApiKit
{
    /// <summary>A day after an order, a thank-you email; then the end.</summary>
    public const string Thanks = """
        {
          "schemaVersion": 1, "id": "thanks", "name": "Thanks",
          "trigger": { "event": "order.placed" },
          "steps": [
            { "id": "a-day", "type": "wait", "duration": "P1D", "next": "email" },
            { "id": "email", "type": "sendEmail", "template": "first-order-thank-you", "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """;

    /// <summary><see cref="Thanks"/> version 2: two days instead of one, a coupon before the email, once per customer.</summary>
    public const string ThanksV2 = """
        {
          "schemaVersion": 1, "id": "thanks", "name": "Thanks, with a coupon",
          "trigger": { "event": "order.placed" },
          "reentry": { "mode": "once" },
          "steps": [
            { "id": "a-day", "type": "wait", "duration": "P2D", "next": "coupon" },
            { "id": "coupon", "type": "issueCoupon", "pool": "second-order-10", "next": "email" },
            { "id": "email", "type": "sendEmail", "template": "first-order-thank-you", "coupon": "coupon", "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """;

    public static string ShippedFile(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "journeys", name));

    public static Task<JsonElement> PutAsync(this TestApp app, string json, HttpStatusCode expected = HttpStatusCode.OK, string id = "thanks") =>
        app.OkAsync(app.Keyed(HttpMethod.Put, $"/api/journeys/{id}", json), expected);

    public static Task<JsonElement> PublishAsync(this TestApp app, string id = "thanks", string? body = null, bool dryRun = false) =>
        app.OkAsync(app.Keyed(HttpMethod.Post, $"/api/journeys/{id}/publish{(dryRun ? "?dryRun=true" : "")}", body));

    public static Task<JsonElement> GetJourneyAsync(this TestApp app, string id = "thanks") =>
        app.OkAsync(app.Keyed(HttpMethod.Get, $"/api/journeys/{id}"));

    /// <summary>The journey's JSON as the API shows it, or "404": to compare before and after.</summary>
    public static async Task<string> JourneyTextAsync(this TestApp app, string id = "thanks")
    {
        var (status, body) = await app.SendAsync(app.Keyed(HttpMethod.Get, $"/api/journeys/{id}"));
        return status == HttpStatusCode.NotFound ? "404" : body;
    }

    /// <summary>An order for customer 7 of the custom store, through the events API and the queue.</summary>
    public static async Task OrderAsync(this TestApp app, string orderId, string customerId = "7")
    {
        await app.OkAsync(app.Keyed(HttpMethod.Post, "/api/events/custom",
            $$"""{"type": "order.placed", "customerId": "{{customerId}}", "email": "ana@example.com", "data": {"orderId": "{{orderId}}", "total": 40 } }"""),
            HttpStatusCode.Accepted);
        await app.DrainAsync();
    }

    public static async Task<JsonElement> InstanceAsync(this TestApp app, string journey = "thanks", string customerId = "7")
    {
        var all = await app.OkAsync(app.Keyed(HttpMethod.Get, $"/api/customers/custom/{customerId}/journeys"));
        return all.EnumerateArray().Single(i => i.Text("journey") == journey);
    }

    /// <summary>The <c>errors</c> of a journey problem as "path: message" lines.</summary>
    public static List<string> Errors(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateArray().Select(e => $"{e.Text("path")}: {e.Text("message")}")];
}
