using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Automation.Core.Events;
using Automation.Functions.Queues;
using Automation.Functions.Recipients;
using Automation.Functions.Suppression;
using Automation.Functions.Tests.Infrastructure;
using Automation.Functions.Tests.Recipients;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Functions.Tests.SendGridEvents;

/// <summary>
/// When the queue is down: SendGrid gets a 5xx and its redelivery is applied in full (the markers of the
/// failed delivery were taken back); a recipient gets a "try again" page, and trying again works.
/// </summary>
public sealed class SendGridFailureTests : IAsyncLifetime
{
    private const string Customer = "id:7", Email = "ana@example.com";
    private readonly ECDsa _sendGrid = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly Switch _down = new();
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(
            new() { ["Automation:SendGrid:EventWebhookPublicKey"] = Convert.ToBase64String(_sendGrid.ExportSubjectPublicKeyInfo()) },
            s => s.AddSingleton<IEventQueue>(sp => new FlakyQueue(sp.GetRequiredService<StorageQueueEventQueue>(), _down)));
        await _app.SeedAsync(Customer, Email);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _sendGrid.Dispose();
    }

    [Fact]
    public async Task a_delivery_that_could_not_be_stored_is_answered_503_and_applied_when_delivered_again()
    {
        var now = _app.Clock.GetUtcNow().ToUnixTimeSeconds();
        var body = $$"""[{"email":"{{Email}}","timestamp":{{now}},"event":"spamreport","sg_event_id":"sp-1","store":"shop","customer":"{{Customer}}","journey":"j","step":"s"}]""";

        _down.On = true;
        using (var failed = await _app.Http.SendAsync(Signed(body))) Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        _down.On = false;
        using (var retried = await _app.Http.SendAsync(Signed(body)))
        {
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
            Assert.Contains("\"applied\":1", await retried.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await _app.DrainAsync();
        Assert.Contains(EventTypes.EmailSuppressed, await _app.AppliedAsync(Customer));
    }

    [Fact]
    public async Task an_unsubscribe_that_could_not_be_told_to_the_profile_asks_to_try_again_and_the_retry_completes_it()
    {
        var link = "/api/r/unsubscribe/" + _app.Link(LinkPurposes.Unsubscribe, Customer);
        _down.On = true;
        using (var failed = await _app.Http.PostAsync(link, RecipientKit.Form(("List-Unsubscribe", "One-Click"))))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.Contains("try again", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // The suppression was written first: the next send is held back already.
        Assert.Equal(SuppressionReasons.Unsubscribed, (await _app.Get<SuppressionList>().GetAsync("shop", Email, default))?.Reason);

        _down.On = false;
        using (var retried = await _app.Http.PostAsync(link, RecipientKit.Form(("List-Unsubscribe", "One-Click"))))
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        await _app.DrainAsync();
        Assert.Equal("unsubscribed", (await _app.ProfileAsync(Customer))!.Consent.State);
    }

    private HttpRequestMessage Signed(string body)
    {
        var stamp = _app.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var r = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/sendgrid") { Content = new StringContent(body, Encoding.UTF8) };
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        r.Headers.Add("X-Twilio-Email-Event-Webhook-Signature",
            Convert.ToBase64String(_sendGrid.SignData(Encoding.UTF8.GetBytes(stamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        r.Headers.Add("X-Twilio-Email-Event-Webhook-Timestamp", stamp);
        return r;
    }

    private sealed class Switch
    {
        public volatile bool On;
    }

    private sealed class FlakyQueue(IEventQueue inner, Switch down) : IEventQueue
    {
        public Task PublishAsync(IReadOnlyList<CustomerEvent> events, CancellationToken ct) =>
            down.On ? throw new HttpRequestException("queue down") : inner.PublishAsync(events, ct);

        public Task<string?> CheckAsync(CancellationToken ct) => inner.CheckAsync(ct);
    }
}
