using System.Text;
using System.Text.Json.Nodes;
using Automation.Core.Journeys.Engine;
using Automation.Core.Profiles;
using Automation.Functions.Email;
using Automation.Functions.Recipients;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Automation.Functions.Tests.Email;

/// <summary>Broadcast batches against the local listener that checks SendGrid's v3 contract, recipients composed as journeys compose them.</summary>
public sealed class SendGridBatchSenderTests : IAsyncLifetime, IDisposable
{
    private const string ApiKey = "SG.batch-test-key-not-a-real-one";
    private const string TemplateId = "d-0123456789abcdef0123456789abcdef";

    private readonly HttpClient _http = new();
    private readonly Clock _clock = new(EmailKit.Now);
    private SendGridListener _sendGrid = null!;

    public async Task InitializeAsync() => _sendGrid = await SendGridListener.StartAsync(ApiKey);

    public async Task DisposeAsync() => await _sendGrid.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private long ResetIn(TimeSpan wait) => (EmailKit.Now + wait).ToUnixTimeSeconds();

    private SendGridOptions Settings(bool sandbox = false) => new()
    {
        ApiKey = ApiKey,
        Host = _sendGrid.Host,
        SandboxMode = sandbox,
        FromEmail = "default@demo.example",
        DynamicTemplates = new(StringComparer.Ordinal) { ["winback-20"] = new() { ["en"] = TemplateId } },
    };

    private SendGridBatchSender Sender(SendGridOptions? settings = null) => new(_http, Options.Create(settings ?? Settings()), _clock);

    private static CustomerProfile Customer(int n) => EmailKit.Customer() with { CustomerKey = $"id:{n}", Email = $"customer{n}@example.com", FirstName = $"Ana{n}" };

    /// <summary>Recipients 1 to <paramref name="count"/>, each composed for a batch as the outbox composes a single email.</summary>
    private BatchEmail Batch(int count, SendGridOptions? settings = null)
    {
        var composer = EmailKit.Composer(sendGrid: settings ?? Settings());
        var action = EmailKit.Action("winback-20", coupon: EmailKit.Coupon());
        var singles = Enumerable.Range(1, count).Select(n =>
        {
            var composed = composer.ComposeForBatch(EmailKit.StoreId, EmailKit.Store(), $"id:{n}", $"act-{n:D4}", action, Customer(n), JourneyStates.Empty, EmailKit.Now);
            return composed.Email ?? throw new InvalidOperationException(composed.Failure);
        });
        return Assert.Single(BatchEmail.Merge(singles));
    }

    private static JsonArray Personalizations(MailSendRequest request) => request.Body!["personalizations"]!.AsArray();

    [Fact]
    public async Task recipients_go_a_thousand_to_a_request_each_in_a_personalization_of_their_own()
    {
        var links = EmailKit.Links();

        var results = await Sender().SendAsync(Batch(2500), CancellationToken.None);

        Assert.Equal([1000, 1000, 500], _sendGrid.Requests.Select(r => Personalizations(r).Count));
        Assert.Empty(_sendGrid.Violations);
        var personalizations = _sendGrid.Requests.SelectMany(Personalizations).ToList();
        Assert.All(_sendGrid.Requests, r => Assert.Equal(TemplateId, (string?)r.Body!["template_id"]));
        Assert.All(_sendGrid.Requests, r => Assert.Null(r.Body!["content"]));
        for (var n = 1; n <= 2500; n++)
        {
            var p = personalizations[n - 1]!;
            Assert.Equal($"customer{n}@example.com", (string?)Assert.Single(p["to"]!.AsArray())!["email"]);
            Assert.Null(p["cc"]);
            Assert.Null(p["bcc"]);
            Assert.Equal($"Ana{n}", (string?)p["dynamic_template_data"]!["customer"]!["firstName"]);
            Assert.Equal("WB-7KQ2", (string?)p["dynamic_template_data"]!["coupon"]!["code"]);
            var args = p["custom_args"]!.AsObject();
            Assert.Equal(($"act-{n:D4}", "demo", $"id:{n}", "dormancy-win-back", "email-20", "1", "winback-20"),
                ((string?)args["send_id"], (string?)args["store"], (string?)args["customer"], (string?)args["journey"], (string?)args["step"], (string?)args["run"], (string?)args["template"]));
            var unsubscribe = (string)p["headers"]!["List-Unsubscribe"]!;
            Assert.Equal($"<{(string?)p["dynamic_template_data"]!["links"]!["unsubscribe"]}>", unsubscribe);
            var token = links.Read(unsubscribe[(unsubscribe.LastIndexOf('/') + 1)..^1], EmailKit.Now);
            Assert.Equal(($"id:{n}", $"act-{n:D4}", LinkPurposes.Unsubscribe), (token?.CustomerKey, token?.SendId, token?.Purpose));
            Assert.Equal("List-Unsubscribe=One-Click", (string?)p["headers"]!["List-Unsubscribe-Post"]);
        }
        Assert.Equal(Enumerable.Range(1, 2500).Select(n => $"act-{n:D4}"), results.Select(r => r.SendId));
        Assert.Equal(Enumerable.Repeat("sg-1", 1000).Concat(Enumerable.Repeat("sg-2", 1000)).Concat(Enumerable.Repeat("sg-3", 500)),
            results.Select(r => r.Result.Accepted ? r.Result.MessageId : r.Result.Failure));
    }

    [Fact]
    public async Task a_429_hands_that_request_and_the_ones_after_it_back_to_retry_at_the_reset()
    {
        var reset = ResetIn(TimeSpan.FromMinutes(1));
        _sendGrid.AnswerAcceptedWithRateLimit(remaining: 599, reset);
        _sendGrid.AnswerTooManyRequests(reset);

        var results = await Sender().SendAsync(Batch(2500), CancellationToken.None);

        Assert.Equal([202, 429], _sendGrid.Requests.Select(r => r.Status));
        Assert.All(results.Take(1000), r => Assert.Equal(new EmailResult(true, "sg-1"), r.Result));
        Assert.All(results.Skip(1000).Take(1000), r => Assert.Equal(
            new EmailResult(false, Failure: $"429 from SendGrid; X-RateLimit-Reset {reset}", Transient: true, RetryAt: DateTimeOffset.FromUnixTimeSeconds(reset)), r.Result));
        Assert.All(results.Skip(2000), r =>
        {
            Assert.Equal((false, true, false, (DateTimeOffset?)DateTimeOffset.FromUnixTimeSeconds(reset)), (r.Result.Accepted, r.Result.Transient, r.Result.Unknown, r.Result.RetryAt));
            Assert.StartsWith("not sent: SendGrid answered 429 to an earlier request of this batch", r.Result.Failure, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task after_the_last_request_of_a_rate_limit_window_the_next_waits_for_the_reset()
    {
        _sendGrid.AnswerAcceptedWithRateLimit(remaining: 0, ResetIn(TimeSpan.FromSeconds(30)));

        var sending = Sender().SendAsync(Batch(1500), CancellationToken.None);

        Assert.Same(_clock.TimerStarted, await Task.WhenAny(sending, _clock.TimerStarted));
        Assert.Equal(TimeSpan.FromSeconds(30), await _clock.TimerStarted);
        Assert.Single(_sendGrid.Requests);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var results = await sending;
        Assert.Equal(2, _sendGrid.Requests.Count);
        Assert.All(results, r => Assert.True(r.Result.Accepted));
        Assert.Equal(EmailKit.Now.AddSeconds(30), _clock.GetUtcNow());
    }

    [Fact]
    public async Task a_rate_limit_reset_further_away_than_the_longest_wait_hands_the_rest_back()
    {
        var reset = ResetIn(TimeSpan.FromHours(2));
        _sendGrid.AnswerAcceptedWithRateLimit(remaining: 0, reset);

        var results = await Sender().SendAsync(Batch(1500), CancellationToken.None);

        Assert.Single(_sendGrid.Requests);
        Assert.False(_clock.TimerStarted.IsCompleted);
        Assert.All(results.Take(1000), r => Assert.True(r.Result.Accepted));
        Assert.All(results.Skip(1000), r => Assert.Equal((false, true, (DateTimeOffset?)DateTimeOffset.FromUnixTimeSeconds(reset)), (r.Result.Accepted, r.Result.Transient, r.Result.RetryAt)));
    }

    [Fact]
    public async Task a_refused_request_fails_each_of_its_recipients_with_sendgrids_message_and_the_next_request_goes()
    {
        _sendGrid.AnswerBadRequest("The template_id must be a valid template.", "template_id");

        var results = await Sender().SendAsync(Batch(1500), CancellationToken.None);

        Assert.Equal([400, 202], _sendGrid.Requests.Select(r => r.Status));
        Assert.Equal(1500, results.Count);
        Assert.All(results.Take(1000), r => Assert.Equal(new EmailResult(false, Failure: "400 from SendGrid: The template_id must be a valid template. (template_id)"), r.Result));
        Assert.All(results.Skip(1000), r => Assert.Equal(new EmailResult(true, "sg-1"), r.Result));
    }

    [Fact]
    public async Task a_request_refused_over_one_recipient_is_halved_until_only_that_recipient_fails()
    {
        var batch = Batch(1000);
        var bad = batch.Recipients[637].Email;
        _sendGrid.RefuseAddress(bad);

        var results = await Sender().SendAsync(batch, CancellationToken.None);

        var failed = Assert.Single(results, r => !r.Result.Accepted);
        Assert.Equal(batch.Recipients[637].SendId, failed.SendId);
        Assert.Contains("personalizations.0.to.0.email", failed.Result.Failure, StringComparison.Ordinal);
        Assert.False(failed.Result.Transient);
        Assert.Equal(999, results.Count(r => r.Result.Accepted));
        // One refused request per halving step (1000 → 1 takes 10), one accepted per half set aside.
        Assert.InRange(_sendGrid.Requests.Count, 11, 22);
    }

    [Fact]
    public async Task a_connection_dropped_after_sending_leaves_its_recipients_unknown_and_the_rest_not_tried()
    {
        _sendGrid.AnswerByDroppingTheConnection();

        var results = await Sender().SendAsync(Batch(1500), CancellationToken.None);

        Assert.Single(_sendGrid.Requests);
        Assert.All(results.Take(1000), r =>
        {
            Assert.Equal((false, true, true), (r.Result.Accepted, r.Result.Transient, r.Result.Unknown));
            Assert.StartsWith("SendGrid unreachable", r.Result.Failure, StringComparison.Ordinal);
        });
        Assert.All(results.Skip(1000), r =>
        {
            Assert.Equal((false, true, false, (DateTimeOffset?)null), (r.Result.Accepted, r.Result.Transient, r.Result.Unknown, r.Result.RetryAt));
            Assert.Equal("not sent: an earlier request of this batch got no answer from SendGrid", r.Result.Failure);
        });
    }

    [Fact]
    public async Task a_template_without_a_dynamic_template_for_the_locale_is_refused_with_the_reason()
    {
        var sender = Sender();
        var french = EmailKit.Composer(sendGrid: Settings()).ComposeForBatch(EmailKit.StoreId, EmailKit.Store(), "id:1", "act-0001",
            EmailKit.Action("winback-20"), Customer(1) with { Locale = "fr" }, JourneyStates.Empty, EmailKit.Now);
        var batch = Batch(2) with { Locale = "fr", DynamicTemplateId = null };

        var results = await sender.SendAsync(batch, CancellationToken.None);

        Assert.True(sender.CanBatch("winback-20", "en"));
        Assert.False(sender.CanBatch("winback-20", "fr"));
        Assert.False(sender.CanBatch("winback-30", "en"));
        var reason = "template 'winback-20' has no SendGrid dynamic template for 'fr' (Automation__SendGrid__DynamicTemplates__winback-20__fr); "
            + "a template from templates/ is rendered once per recipient, so it cannot share a request";
        Assert.Equal(new BatchComposition(null, reason), french);
        Assert.All(results, r => Assert.Equal(new EmailResult(false, Failure: reason), r.Result));
        Assert.Empty(_sendGrid.Requests);
    }

    [Fact]
    public async Task sandbox_mode_is_carried_to_every_request()
    {
        var results = await Sender().SendAsync(Batch(1200, Settings(sandbox: true)), CancellationToken.None);

        Assert.Equal([200, 200], _sendGrid.Requests.Select(r => r.Status));
        Assert.All(_sendGrid.Requests, r => Assert.True((bool?)r.Body!["mail_settings"]!["sandbox_mode"]!["enable"]));
        Assert.All(results, r => Assert.Equal(new EmailResult(true), r.Result));
    }

    [Fact]
    public async Task the_apps_sandbox_mode_cannot_be_turned_off_by_a_batch()
    {
        await Sender(Settings(sandbox: true)).SendAsync(Batch(3) with { SandboxMode = false }, CancellationToken.None);

        Assert.True((bool?)Assert.Single(_sendGrid.Requests).Body!["mail_settings"]!["sandbox_mode"]!["enable"]);
    }

    [Fact]
    public async Task a_recipient_who_alone_breaks_a_limit_fails_with_the_reason_and_the_others_go()
    {
        var batch = Batch(5);
        var r = batch.Recipients;
        var oversized = new Dictionary<string, string>(r[1].CustomArgs) { ["note"] = new string('x', 10_000) };
        var reserved = new Dictionary<string, string>(r[2].Headers) { ["Reply-To"] = "someone@example.com" };
        batch = batch with { Recipients = [r[0], r[1] with { CustomArgs = oversized }, r[2] with { Headers = reserved }, r[3] with { Email = " " }, r[4]] };

        var results = await Sender().SendAsync(batch, CancellationToken.None);

        var request = Assert.Single(_sendGrid.Requests);
        Assert.Empty(request.Violations);
        Assert.Equal(["customer1@example.com", "customer5@example.com"], Personalizations(request).Select(p => (string?)p!["to"]![0]!["email"]));
        Assert.Equal([null, "custom args take 10", "header Reply-To is reserved by SendGrid", "no email address", null],
            results.Select(x => x.Result.Failure is { } f && f.StartsWith("custom args take 10", StringComparison.Ordinal) ? "custom args take 10" : x.Result.Failure));
        Assert.All(results.Where(x => x.Result.Failure is not null), x => Assert.False(x.Result.Transient));
    }

    [Fact]
    public async Task the_same_address_twice_goes_in_separate_requests()
    {
        var batch = Batch(3);
        batch = batch with { Recipients = [batch.Recipients[0], batch.Recipients[1], batch.Recipients[2] with { Email = "Customer1@Example.com" }] };

        var results = await Sender().SendAsync(batch, CancellationToken.None);

        Assert.Equal([2, 1], _sendGrid.Requests.Select(r => Personalizations(r).Count));
        Assert.Empty(_sendGrid.Violations);
        Assert.All(results, x => Assert.True(x.Result.Accepted));
    }

    [Fact]
    public async Task a_display_name_loses_the_characters_sendgrid_refuses_in_it()
    {
        var batch = Batch(1);
        batch = batch with { Recipients = [batch.Recipients[0] with { Name = "Lima, Ana; Jr" }] };

        await Sender().SendAsync(batch, CancellationToken.None);

        var request = Assert.Single(_sendGrid.Requests);
        Assert.Empty(request.Violations);
        Assert.Equal("Lima Ana Jr", (string?)Personalizations(request)[0]!["to"]![0]!["name"]);
    }

    [Fact]
    public async Task a_request_over_the_size_limit_is_split_and_a_recipient_over_it_alone_fails()
    {
        var batch = Batch(5);
        var huge = new Dictionary<string, object?>(batch.Recipients[2].TemplateData) { ["note"] = new string('x', 20_000) };
        batch = batch with { Recipients = [.. batch.Recipients.Select((r, i) => i == 2 ? r with { TemplateData = huge } : r)] };
        var limit = Encoding.UTF8.GetByteCount(Sender().Message(batch, [0, 1, 3]).Serialize()); // three ordinary recipients just do not fit
        var sender = new SendGridBatchSender(_http, Options.Create(Settings()), _clock) { BodyLimit = limit };

        var results = await sender.SendAsync(batch, CancellationToken.None);

        // Halved: [1 2] goes; [3 4 5] is halved again, 3 alone is too large, [4 5] goes.
        Assert.Equal([["customer1@example.com", "customer2@example.com"], ["customer4@example.com", "customer5@example.com"]],
            _sendGrid.Requests.Select(r => Personalizations(r).Select(p => (string?)p!["to"]![0]!["email"]).ToArray()));
        Assert.Equal([true, true, false, true, true], results.Select(r => r.Result.Accepted));
        Assert.StartsWith("this recipient's message alone would take", results[2].Result.Failure, StringComparison.Ordinal);
        Assert.False(results[2].Result.Transient);
    }

    [Fact]
    public void batches_merge_only_when_everything_but_the_recipients_is_the_same()
    {
        var one = Batch(2);
        var other = one with { Locale = "es", Recipients = [one.Recipients[0] with { SendId = "act-es" }] };

        var merged = BatchEmail.Merge([one with { Recipients = [one.Recipients[0]] }, other, one with { Recipients = [one.Recipients[1]] }]);

        Assert.Equal([("en", 2), ("es", 1)], merged.Select(b => (b.Locale, b.Recipients.Count)));
        Assert.Equal(["act-0001", "act-0002"], merged[0].Recipients.Select(r => r.SendId));
    }

    /// <summary>A fake clock that says when a timer is started and for how long, so a test sees the sender wait.</summary>
    private sealed class Clock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly TaskCompletionSource<TimeSpan> _timer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<TimeSpan> TimerStarted => _timer.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timer.TrySetResult(dueTime);
            return timer;
        }
    }
}
