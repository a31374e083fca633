using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Automation.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Coupons;

/// <summary>
/// Tells the store about a generated code: a signed <c>coupon.issued</c> POST to the store's
/// <c>CouponWebhookUrl</c>, so the store can create the discount before any customer sees the code.
/// Signature: <c>X-Automation-Signature: t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{body}")}</c>;
/// <c>Idempotency-Key</c> is the action key, the same on every retry (docs/coupons.md).
/// </summary>
public sealed class CouponWebhook(HttpClient http, IOptions<CouponOptions> options, TimeProvider time)
{
    public const string SignatureHeader = "X-Automation-Signature";

    /// <summary>Longest part of a refusal's body kept in the failure reason.</summary>
    private const int ExcerptLength = 200;

    public async Task<CouponResult> PostAsync(StoreOptions store, JsonObject body, string actionKey, string code, CancellationToken ct)
    {
        var json = body.ToJsonString();
        var t = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, store.CouponWebhookUrl)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(SignatureHeader, $"t={t},v1={Sign(store.CouponWebhookSecret ?? "", t, json)}");
        request.Headers.Add("Idempotency-Key", actionKey);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("automation-journeys", "1"));
        var limit = TimeSpan.FromSeconds(Math.Max(1, options.Value.WebhookTimeoutSeconds));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return new CouponResult(code);
            var transient = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            if (transient) return CouponResult.Failed($"the store's coupon webhook answered {status}", transient: true);
            var text = await response.Content.ReadAsStringAsync(ct);
            var flat = string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c)).Trim();
            var excerpt = flat.Length > ExcerptLength ? flat[..ExcerptLength] + "…" : flat;
            return CouponResult.Failed($"the store refused the coupon: {status} {excerpt}".TrimEnd());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return CouponResult.Failed(ex is TaskCanceledException
                ? $"the store's coupon webhook did not answer within {limit.TotalSeconds} s"
                : "could not connect to the store's coupon webhook", transient: true);
        }
    }

    /// <summary>Lower-case hex HMAC-SHA256 of <c>"{t}.{body}"</c>.</summary>
    public static string Sign(string secret, string t, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")));
}
