using System.Net;
using System.Text.Json;
using Automation.Functions.Tests.Infrastructure;
using static Automation.Functions.Tests.Http.HttpKit;
using static Automation.Functions.Tests.Journeys.JourneyApiKit;

namespace Automation.Functions.Tests.Journeys;

/// <summary><c>/api/journeys</c> end to end on Azurite: drafts, validation, publishing, pause and resume.</summary>
public sealed class JourneyApiTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task a_new_journey_is_saved_as_a_draft_listed_and_read_back()
    {
        var created = await _app.PutAsync(Thanks, HttpStatusCode.Created);

        Assert.Equal("draft", created.Text("status"));
        Assert.Equal(0, created.GetProperty("version").GetInt32());
        Assert.Equal("a-day", created.GetProperty("draft").GetProperty("steps")[0].Text("id"));
        Assert.Equal("Thanks", created.GetProperty("definition").Text("name"));
        Assert.Equal(0, created.GetProperty("versions").GetArrayLength());

        var list = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/journeys"));
        var line = list.EnumerateArray().Single(j => j.Text("id") == "thanks");
        Assert.Equal(("Thanks", "draft", 0, true), (line.Text("name"), line.Text("status"), line.GetProperty("version").GetInt32(), line.GetProperty("hasDraft").GetBoolean()));
        Assert.Equal(_app.Clock.GetUtcNow(), line.GetProperty("updatedAt").GetDateTimeOffset());
        // The shipped journeys are installed at start-up, published.
        var shipped = list.EnumerateArray().Single(j => j.Text("id") == "first-order-follow-up");
        Assert.Equal(("active", 1, false), (shipped.Text("status"), shipped.GetProperty("version").GetInt32(), shipped.GetProperty("hasDraft").GetBoolean()));

        Assert.Equal(created.GetRawText(), (await _app.GetJourneyAsync()).GetRawText());
        var replaced = await _app.PutAsync(ThanksV2);
        Assert.Equal("Thanks, with a coupon", replaced.GetProperty("draft").Text("name"));
    }

    [Fact]
    public async Task an_invalid_definition_is_refused_with_every_problem_at_its_path_and_nothing_is_stored()
    {
        await _app.PutAsync(Thanks, HttpStatusCode.Created);
        var before = await _app.JourneyTextAsync();
        var bad = Thanks
            .Replace("\"P1D\"", "\"-P1D\"", StringComparison.Ordinal)
            .Replace("first-order-thank-you", "no-such-template", StringComparison.Ordinal)
            .Replace("\"next\": \"done\"", "\"next\": \"nowhere\"", StringComparison.Ordinal);

        var problem = await _app.ProblemAsync(_app.Keyed(HttpMethod.Put, "/api/journeys/thanks", bad), HttpStatusCode.BadRequest);

        var errors = Errors(problem);
        Assert.Contains(errors, e => e.StartsWith("$.steps[0].duration: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.steps[1].template: ", StringComparison.Ordinal) && e.Contains("no-such-template", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.steps[1].next: ", StringComparison.Ordinal) && e.Contains("nowhere", StringComparison.Ordinal));
        Assert.Equal(before, await _app.JourneyTextAsync());

        await _app.ProblemAsync(_app.Keyed(HttpMethod.Put, "/api/journeys/other", bad.Replace("\"thanks\"", "\"other\"", StringComparison.Ordinal)), HttpStatusCode.BadRequest);
        Assert.Equal("404", await _app.JourneyTextAsync("other"));
    }

    [Fact]
    public async Task the_id_in_the_body_must_be_the_id_in_the_url()
    {
        var problem = await _app.ProblemAsync(_app.Keyed(HttpMethod.Put, "/api/journeys/welcome", Thanks), HttpStatusCode.BadRequest, "$.id", "welcome");

        Assert.Equal("$.id", Assert.Single(problem.GetProperty("errors").EnumerateArray()).Text("path"));
        Assert.Equal("404", await _app.JourneyTextAsync("welcome"));
        Assert.Equal("404", await _app.JourneyTextAsync());
    }

    [Fact]
    public async Task publishing_makes_a_new_version_and_an_instance_started_on_version_1_stays_on_it()
    {
        await _app.PutAsync(Thanks, HttpStatusCode.Created);
        var v1 = await _app.PublishAsync();
        Assert.Equal(("active", 1), (v1.Text("status"), v1.GetProperty("version").GetInt32()));
        Assert.False(v1.TryGetProperty("draft", out _));
        var published = Assert.Single(v1.GetProperty("versions").EnumerateArray());
        Assert.Equal(("finish", "stay"), (published.Text("inFlight"), published.Text("missingStep")));

        await _app.OrderAsync("o1");
        Assert.Equal((1, "a-day"), Where(await _app.InstanceAsync()));

        await _app.PutAsync(ThanksV2);
        var v2 = await _app.PublishAsync();

        Assert.Equal(2, v2.GetProperty("version").GetInt32());
        Assert.Equal("Thanks, with a coupon", v2.GetProperty("definition").Text("name"));
        Assert.Equal([1, 2], v2.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal((1, "a-day"), Where(await _app.InstanceAsync()));

        // A new customer starts on version 2.
        await _app.OrderAsync("o2", customerId: "8");
        Assert.Equal((2, "a-day"), Where(await _app.InstanceAsync(customerId: "8")));
    }

    [Fact]
    public async Task a_dry_run_shows_the_diff_and_the_instances_in_flight_and_changes_nothing()
    {
        await _app.PutAsync(Thanks, HttpStatusCode.Created);
        await _app.PublishAsync();
        await _app.OrderAsync("o1");
        await _app.OrderAsync("o2", customerId: "8");
        await _app.PutAsync(ThanksV2.Replace("\"id\": \"email\"", "\"id\": \"thank-you\"", StringComparison.Ordinal)
            .Replace("\"next\": \"email\"", "\"next\": \"thank-you\"", StringComparison.Ordinal));
        var before = await _app.JourneyTextAsync();

        var dry = await _app.PublishAsync(body: """{"inFlight": "move", "missingStep": "exit"}""", dryRun: true);

        Assert.Equal(("thanks", 1, 2), (dry.Text("journey"), dry.GetProperty("fromVersion").GetInt32(), dry.GetProperty("toVersion").GetInt32()));
        var diff = dry.GetProperty("diff");
        Assert.Equal(["name", "reentry"], Strings(diff.GetProperty("members")));
        Assert.Equal(["coupon", "thank-you"], Strings(diff.GetProperty("steps").GetProperty("added")));
        Assert.Equal(["email"], Strings(diff.GetProperty("steps").GetProperty("removed")));
        var changed = Assert.Single(diff.GetProperty("steps").GetProperty("changed").EnumerateArray());
        Assert.Equal("a-day", changed.Text("id"));
        Assert.Equal(["next", "duration"], Strings(changed.GetProperty("members")));

        var impact = dry.GetProperty("impact");
        Assert.Equal((2, 2, 0, 0), (Int(impact, "inFlight"), Int(impact, "moving"), Int(impact, "staying"), Int(impact, "exiting")));
        var step = Assert.Single(impact.GetProperty("steps").EnumerateArray());
        Assert.Equal((1, "a-day", 2, "moves", 2), (Int(step, "version"), step.Text("step"), Int(step, "count"), step.Text("outcome"), Int(step, "toVersion")));
        Assert.Equal(2, Int(Assert.Single(impact.GetProperty("versions").EnumerateArray()), "inFlight"));
        Assert.Equal(("move", "exit"), (impact.GetProperty("policy").Text("inFlight"), impact.GetProperty("policy").Text("missingStep")));

        Assert.Equal(before, await _app.JourneyTextAsync());
        Assert.Equal((1, "a-day"), Where(await _app.InstanceAsync()));
    }

    [Fact]
    public async Task there_is_nothing_to_publish_without_a_draft_and_saving_the_current_version_again_discards_the_draft()
    {
        await _app.PutAsync(Thanks, HttpStatusCode.Created);
        await _app.PublishAsync();

        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/thanks/publish"), HttpStatusCode.Conflict, "no draft");
        await _app.PutAsync(Thanks);
        Assert.False((await _app.GetJourneyAsync()).TryGetProperty("draft", out _));
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/thanks/publish"), HttpStatusCode.Conflict, "no draft");
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/thanks/publish?dryRun=true"), HttpStatusCode.Conflict, "no draft");
        Assert.Equal(1, (await _app.GetJourneyAsync()).GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("""{"inFlight": "move", "colour": "red"}""", "$.colour", "unknown field")]
    [InlineData("""{"inFlight": "teleport"}""", "$.inFlight", "\\\"finish\\\" or \\\"move\\\"")]
    [InlineData("""{"missingStep": 3}""", "$.missingStep", "\\\"stay\\\" or \\\"exit\\\"")]
    [InlineData("""["move"]""", "$", "must be an object")]
    public async Task a_publish_policy_with_unknown_fields_or_values_is_refused_naming_them(string body, string path, string says)
    {
        await _app.PutAsync(Thanks, HttpStatusCode.Created);

        var problem = await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/thanks/publish", body), HttpStatusCode.BadRequest, path);

        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.Text("path") == path && e.GetRawText().Contains(says, StringComparison.Ordinal));
        Assert.Equal(0, (await _app.GetJourneyAsync()).GetProperty("version").GetInt32());
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/thanks/publish?dryRun=maybe"), HttpStatusCode.BadRequest, "dryRun");
    }

    [Fact]
    public async Task a_published_journey_pauses_and_resumes_and_one_never_published_cannot()
    {
        await _app.PutAsync(Thanks, HttpStatusCode.Created);
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/thanks/pause"), HttpStatusCode.Conflict, "never been published");
        await _app.PublishAsync();

        var paused = await _app.OkAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/thanks/pause"));
        Assert.Equal(("thanks", "paused", 1), (paused.Text("id"), paused.Text("status"), Int(paused, "version")));
        Assert.Equal("paused", (await _app.GetJourneyAsync()).Text("status"));

        var resumed = await _app.OkAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/thanks/resume"));
        Assert.Equal("active", resumed.Text("status"));
    }

    [Fact]
    public async Task validate_answers_200_for_a_valid_or_invalid_definition_and_400_for_a_body_that_is_not_json()
    {
        var valid = await _app.OkAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/validate", ShippedFile("first-order-follow-up.json")));
        Assert.True(valid.GetProperty("valid").GetBoolean());
        Assert.False(valid.TryGetProperty("errors", out _));

        var invalid = await _app.OkAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/validate", Thanks.Replace("\"wait\"", "\"snooze\"", StringComparison.Ordinal)));
        Assert.False(invalid.GetProperty("valid").GetBoolean());
        Assert.StartsWith("$.steps[0].type: ", Assert.Single(Errors(invalid)), StringComparison.Ordinal);

        await _app.ProblemAsync(_app.Keyed(HttpMethod.Post, "/api/journeys/validate", """{"id": "x", """), HttpStatusCode.BadRequest, "not valid JSON");
        Assert.Equal("404", await _app.JourneyTextAsync("x"));
    }

    [Theory]
    [InlineData("PUT", "/api/journeys/thanks", "{\"id\": ")]
    [InlineData("PUT", "/api/journeys/thanks", "")]
    [InlineData("POST", "/api/journeys/thanks/publish", "{inFlight: move}")]
    [InlineData("POST", "/api/journeys/preview", "[1, 2")]
    public async Task malformed_json_is_a_400_problem(string method, string path, string body)
    {
        await _app.PutAsync(Thanks, HttpStatusCode.Created);
        var before = await _app.JourneyTextAsync();

        await _app.ProblemAsync(_app.Keyed(new HttpMethod(method), path, body), HttpStatusCode.BadRequest);

        Assert.Equal(before, await _app.JourneyTextAsync());
    }

    [Fact]
    public async Task a_definition_over_256_KiB_is_refused_with_413()
    {
        var huge = Thanks.Replace("\"name\": \"Thanks\"", $"\"name\": \"Thanks\", \"description\": \"{new string('x', 256 * 1024)}\"", StringComparison.Ordinal);

        await _app.ProblemAsync(_app.Keyed(HttpMethod.Put, "/api/journeys/thanks", huge), HttpStatusCode.RequestEntityTooLarge, "256 KiB");
        var chunked = _app.Keyed(HttpMethod.Post, "/api/journeys/validate");
        chunked.Content = new Automation.Functions.Tests.Http.ChunkedContent(System.Text.Encoding.UTF8.GetBytes(huge));
        await _app.ProblemAsync(chunked, HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("404", await _app.JourneyTextAsync());
    }

    [Theory]
    [InlineData("GET", "/api/journeys")]
    [InlineData("GET", "/api/journeys/first-order-follow-up")]
    [InlineData("PUT", "/api/journeys/thanks")]
    [InlineData("POST", "/api/journeys/first-order-follow-up/publish")]
    [InlineData("POST", "/api/journeys/first-order-follow-up/pause")]
    [InlineData("POST", "/api/journeys/validate")]
    [InlineData("POST", "/api/journeys/preview")]
    [InlineData("GET", "/api/customers/custom/7/journeys")]
    public async Task without_the_api_key_every_journey_route_is_401(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(Thanks) };

        await _app.ProblemAsync(request, HttpStatusCode.Unauthorized, "X-Api-Key");

        Assert.Equal("active", (await _app.GetJourneyAsync("first-order-follow-up")).Text("status"));
        Assert.Equal("404", await _app.JourneyTextAsync());
    }

    [Theory]
    [InlineData("GET", "/api/journeys/nope")]
    [InlineData("GET", "/api/journeys/NOT%20AN%20ID")]
    [InlineData("POST", "/api/journeys/nope/publish")]
    [InlineData("POST", "/api/journeys/nope/publish?dryRun=true")]
    [InlineData("POST", "/api/journeys/nope/pause")]
    [InlineData("POST", "/api/journeys/nope/resume")]
    [InlineData("POST", "/api/journeys/a%23b/pause")]
    public async Task an_unknown_journey_is_404(string method, string path) =>
        await _app.ProblemAsync(_app.Keyed(new HttpMethod(method), path), HttpStatusCode.NotFound, "No journey");

    private static (int Version, string Step) Where(JsonElement instance) => (Int(instance, "version"), instance.Text("step"));

    private static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(s => s.GetString()!)];
}
