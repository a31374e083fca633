using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Notifications;

/// <param name="Transient">Worth retrying: a timeout, a connection failure, 408, 429 or 5xx.</param>
public sealed record NotifyResult(bool Delivered, int? Status, string? Failure = null, bool Transient = false);

/// <summary>
/// Posts a <c>notify</c> step's JSON to the webhook named in the journey, URL from
/// <c>Automation__Webhooks__{name}__Url</c>. At least once: a retry carries the same
/// <c>Idempotency-Key</c> (the action's key, unique across customers) so the receiver can drop the repeat.
/// </summary>
public sealed class WebhookNotifier(HttpClient http, IOptions<AutomationOptions> options)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The target of a catalog webhook name. App settings on Linux allow no <c>-</c> in a name, so
    /// <c>support-desk</c> may also be set as <c>Automation__Webhooks__support_desk__Url</c>.
    /// </summary>
    public static WebhookOptions? Target(AutomationOptions options, string name) =>
        options.Webhooks.TryGetValue(name, out var target) ? target
        : options.Webhooks.TryGetValue(name.Replace('-', '_'), out var underscored) ? underscored
        : null;

    public async Task<NotifyResult> NotifyAsync(JourneyAction action, string actionKey, CancellationToken ct)
    {
        if (action.Webhook is null || Target(options.Value, action.Webhook) is not { Url.Length: > 0 } target)
            return new NotifyResult(false, null, $"webhook '{action.Webhook}' has no URL; set Automation__Webhooks__{action.Webhook}__Url");
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new StringContent(action.Body?.ToJsonString() ?? "{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", actionKey);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("automation-journeys", "1"));
        if (target.Authorization is { Length: > 0 } auth) request.Headers.TryAddWithoutValidation("Authorization", auth);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return new NotifyResult(true, status);
            var transient = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            return new NotifyResult(false, status, $"the webhook answered {status}", transient);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new NotifyResult(false, null, ex is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds} s" : "could not connect", Transient: true);
        }
    }
}
