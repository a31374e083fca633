using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Functions.Reports;
using Automation.Functions.Suppression;
using Automation.Functions.Tests.Http;
using Automation.Functions.Tests.Infrastructure;
using Automation.Functions.Tests.Recipients;

namespace Automation.Functions.Tests.SendGridEvents;

/// <summary>
/// SendGrid's signed event webhook through the real pipeline: a P-256 key pair made here stands in for
/// SendGrid's, and each request is signed as SendGrid signs it (timestamp followed by the raw body).
/// </summary>
public sealed class SendGridEventTests : IAsyncLifetime
{
    private const string Customer = "id:7", Email = "ana@example.com", Journey = "first-order-follow-up", Step = "thank-you";
    private readonly ECDsa _sendGrid = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(new() { ["Automation:SendGrid:EventWebhookPublicKey"] = Convert.ToBase64String(_sendGrid.ExportSubjectPublicKeyInfo()) });
        await _app.SeedAsync(Customer, Email);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _sendGrid.Dispose();
    }

    private long Now => _app.Clock.GetUtcNow().ToUnixTimeSeconds();

    private JsonObject Event(string type, string id, string? email = Email, bool ours = true)
    {
        var e = new JsonObject { ["email"] = email, ["timestamp"] = Now, ["event"] = type, ["sg_event_id"] = id, ["sg_message_id"] = "m1.filter" };
        if (ours)
        {
            e["send_id"] = "shop-act-1";
            e["store"] = "shop";
            e["customer"] = Customer;
            e["journey"] = Journey;
            e["step"] = Step;
            e["template"] = "thank-you";
        }
        return e;
    }

    private HttpRequestMessage Signed(string body, string? timestamp = null, string? signWith = null, string? sentTimestamp = null, string? signature = null)
    {
        timestamp ??= Now.ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes((signWith ?? timestamp) + body);
        var r = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/sendgrid") { Content = new StringContent(body, Encoding.UTF8) };
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        r.Headers.Add("X-Twilio-Email-Event-Webhook-Signature", signature ?? Convert.ToBase64String(_sendGrid.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        r.Headers.Add("X-Twilio-Email-Event-Webhook-Timestamp", sentTimestamp ?? timestamp);
        return r;
    }

    private static string Array(params JsonObject[] events) => new JsonArray([.. events.Select(e => e.DeepClone())]).ToJsonString();

    [Fact]
    public async Task a_signed_delivery_older_than_three_days_or_from_the_future_is_refused_as_a_replay()
    {
        var body = Array(Event("bounce", "replayed"));
        var old = (Now - (long)TimeSpan.FromDays(3.1).TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var ahead = (Now + 3600).ToString(CultureInfo.InvariantCulture);

        await _app.ProblemAsync(Signed(body, timestamp: old), HttpStatusCode.Unauthorized, "replayed");
        await _app.ProblemAsync(Signed(body, timestamp: ahead), HttpStatusCode.Unauthorized, "replayed");
        Assert.Null(await _app.Get<SuppressionList>().GetAsync("shop", Email, default));

        var yesterday = (Now - 86_400).ToString(CultureInfo.InvariantCulture);
        var (status, _) = await _app.SendAsync(Signed(body, timestamp: yesterday));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task a_signed_delivery_is_accepted_and_counted_per_step()
    {
        var body = Array(Event("delivered", "e1"), Event("open", "e2"), Event("open", "e3"), Event("click", "e4"), Event("processed", "e5"));
        var answer = await _app.OkAsync(Signed(body));

        Assert.Equal(5, answer.GetProperty("received").GetInt32());
        Assert.Equal(4, answer.GetProperty("applied").GetInt32());
        Assert.Equal(1, answer.GetProperty("ignored").GetInt32());
        var step = (await _app.Get<JourneyStats>().ReadAsync("shop", Journey, default))[Step];
        Assert.Equal(1, step[JourneyMetrics.Delivered].Count);
        Assert.Equal(2, step[JourneyMetrics.Open].Count);
        Assert.Equal(1, step[JourneyMetrics.Click].Count);
        Assert.Null(await _app.Get<SuppressionList>().GetAsync("shop", Email, default));
        Assert.Equal(0, await _app.DrainAsync());
    }

    [Fact]
    public async Task duplicates_are_applied_once_even_in_a_later_delivery()
    {
        var first = await _app.OkAsync(Signed(Array(Event("open", "e1"), Event("open", "e1"), Event("bounce", "e2"))));
        _app.Clock.Advance(TimeSpan.FromHours(5));
        var again = await _app.OkAsync(Signed(Array(Event("open", "e1"), Event("bounce", "e2"), Event("open", "e3"))));

        Assert.Equal(2, first.GetProperty("applied").GetInt32());
        Assert.Equal(1, again.GetProperty("applied").GetInt32());
        Assert.Equal(2, again.GetProperty("duplicates").GetInt32());
        var step = (await _app.Get<JourneyStats>().ReadAsync("shop", Journey, default))[Step];
        Assert.Equal(2, step[JourneyMetrics.Open].Count);
        Assert.Equal(1, step[JourneyMetrics.Bounce].Count);
        await _app.DrainAsync();
        Assert.Single(await _app.AppliedAsync(Customer), t => t == EventTypes.EmailSuppressed);
    }

    [Fact]
    public async Task markers_are_written_in_batches_and_a_duplicate_costs_one_more_operation()
    {
        var events = Enumerable.Range(0, 50).Select(i => Event("delivered", "d" + i)).ToArray();
        _app.Counter.Reset();
        await _app.OkAsync(Signed(Array(events)));
        // One transaction for the 50 markers, one read and one write for the step's counter.
        Assert.Equal(3, _app.Counter.Total);
        _app.Counter.Reset();
        await _app.OkAsync(Signed(Array([.. events[..49], Event("delivered", "d-new")])));

        // 49 duplicates: 49 refused transactions and the one that commits; nothing else is touched.
        Assert.True(_app.Counter.Total <= 52, $"{_app.Counter.Total} storage operations");
    }

    [Theory]
    [InlineData("bounce", SuppressionReasons.Bounced)]
    [InlineData("dropped", SuppressionReasons.Dropped)]
    [InlineData("spamreport", SuppressionReasons.SpamReport)]
    public async Task bounces_drops_and_spam_reports_suppress_the_address_and_tell_the_customer(string type, string reason)
    {
        var e = Event(type, "x1");
        if (type == "bounce") e["type"] = "bounce";
        await _app.OkAsync(Signed(Array(e)));

        var entry = await _app.Get<SuppressionList>().GetAsync("shop", Email, default);
        Assert.Equal(reason, entry?.Reason);
        Assert.Equal("sendgrid", entry?.Source);
        Assert.Equal(1, await _app.DrainAsync());
        Assert.Contains(EventTypes.EmailSuppressed, await _app.AppliedAsync(Customer));
        Assert.Equal(1, (await _app.Get<JourneyStats>().ReadAsync("shop", Journey, default))[Step][type].Count);
    }

    [Fact]
    public async Task a_blocked_bounce_is_counted_but_does_not_suppress()
    {
        var e = Event("bounce", "b1");
        e["type"] = "blocked";
        await _app.OkAsync(Signed(Array(e)));

        Assert.Null(await _app.Get<SuppressionList>().GetAsync("shop", Email, default));
        Assert.Equal(0, await _app.DrainAsync());
        Assert.Equal(1, (await _app.Get<JourneyStats>().ReadAsync("shop", Journey, default))[Step][JourneyMetrics.Blocked].Count);
    }

    [Theory]
    [InlineData("unsubscribe")]
    [InlineData("group_unsubscribe")]
    public async Task an_unsubscribe_at_sendgrid_unsubscribes_from_all_the_store_s_email(string type)
    {
        await _app.OkAsync(Signed(Array(Event(type, "u1"))));

        Assert.Equal(SuppressionReasons.Unsubscribed, (await _app.Get<SuppressionList>().GetAsync("shop", Email, default))?.Reason);
        Assert.Equal(1, await _app.DrainAsync());
        Assert.Equal("unsubscribed", (await _app.ProfileAsync(Customer))!.Consent.State);
        Assert.Equal(1, (await _app.Get<JourneyStats>().ReadAsync("shop", Journey, default))[Step][JourneyMetrics.Unsubscribe].Count);
    }

    [Fact]
    public async Task events_without_our_custom_args_or_for_unknown_stores_are_acknowledged_and_ignored()
    {
        var foreign = Event("bounce", "f2");
        foreign["store"] = "nowhere";
        var answer = await _app.OkAsync(Signed(Array(Event("bounce", "f1", ours: false), foreign)));

        Assert.Equal(2, answer.GetProperty("ignored").GetInt32());
        Assert.Null(await _app.Get<SuppressionList>().GetAsync("shop", Email, default));
        Assert.Equal(0, await _app.DrainAsync());
    }

    [Fact]
    public async Task a_wrong_signature_timestamp_or_body_is_refused_with_401_and_changes_nothing()
    {
        var body = Array(Event("bounce", "s1"));
        var stamp = Now.ToString(CultureInfo.InvariantCulture);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var foreignSignature = Convert.ToBase64String(other.SignData(Encoding.UTF8.GetBytes(stamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        var altered = Signed(body);
        altered.Content = new StringContent(body.Replace("s1", "s2", StringComparison.Ordinal), Encoding.UTF8, "application/json");

        await _app.ProblemAsync(Signed(body, signature: foreignSignature), HttpStatusCode.Unauthorized, "signature");
        await _app.ProblemAsync(Signed(body, timestamp: stamp, sentTimestamp: (Now + 1).ToString(CultureInfo.InvariantCulture)), HttpStatusCode.Unauthorized, "signature");
        await _app.ProblemAsync(altered, HttpStatusCode.Unauthorized, "signature");
        await _app.ProblemAsync(Signed(body, signature: "not base64!"), HttpStatusCode.Unauthorized, "signature");
        var unsigned = Signed(body);
        unsigned.Headers.Remove("X-Twilio-Email-Event-Webhook-Signature");
        await _app.ProblemAsync(unsigned, HttpStatusCode.Unauthorized, "X-Twilio-Email-Event-Webhook-Signature", "missing");

        Assert.Null(await _app.Get<SuppressionList>().GetAsync("shop", Email, default));
        Assert.Equal(0, await _app.DrainAsync());
    }

    [Theory]
    [InlineData("{\"event\": \"open\"}", "array")]
    [InlineData("[{\"event\": ", "Malformed JSON")]
    [InlineData("", "empty")]
    [InlineData("[1, 2]", "object")]
    public async Task a_malformed_body_is_refused_with_400(string body, string mention)
    {
        await _app.ProblemAsync(Signed(body), HttpStatusCode.BadRequest, mention);
    }

    [Fact]
    public async Task without_a_configured_key_every_delivery_is_refused()
    {
        await using var bare = await TestApp.StartAsync();
        var (status, body) = await bare.SendAsync(Signed(Array(Event("open", "k1"))));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("not configured", body, StringComparison.Ordinal);
    }
}
