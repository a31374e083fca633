using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Automation.Functions.Coupons;
using Automation.Functions.Journeys.Outbox;
using Automation.Functions.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Automation.Functions.Tests.Coupons;

/// <summary>
/// Generated codes: their shape, that only the secret makes them, and the signed coupon.issued
/// webhook, checked at the wire by a local listener that verifies each request as a store would.
/// </summary>
public sealed class GeneratedCouponTests : IAsyncLifetime
{
    private const string WebhookSecret = "store-coupon-secret";

    private sealed record Received(HttpStatusCode Answer, string? Signature, string? Key, string Body);

    private WebApplication _store = null!;
    private string _address = "";
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentQueue<(HttpStatusCode Status, string Body)> _answers = new();

    public async Task InitializeAsync() =>
        (_store, _address) = await LoopbackServer.StartAsync(store => store.MapPost("/coupons", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            var (status, text) = _answers.TryDequeue(out var a) ? a : (HttpStatusCode.OK, "");
            _received.Enqueue(new Received(status, request.Headers[CouponWebhook.SignatureHeader].FirstOrDefault(), request.Headers["Idempotency-Key"].FirstOrDefault(), body));
            return Results.Text(text, statusCode: (int)status);
        }));

    public Task DisposeAsync() => _store.DisposeAsync().AsTask();

    private Task<CouponKit> StartWithWebhookAsync(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Automation:Stores:custom:CouponWebhookUrl"] = _address + "/coupons",
            ["Automation:Stores:custom:CouponWebhookSecret"] = WebhookSecret,
        };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return CouponKit.StartAsync(settings);
    }

    /// <summary>What a store does with the header: recompute the HMAC over "{t}.{body}" and compare in constant time.</summary>
    private static bool Verifies(string? header, string body)
    {
        var parts = (header ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1)) return false;
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(v1));
    }

    [Fact]
    public async Task generated_codes_are_the_prefix_and_ten_unambiguous_characters_and_the_same_for_the_same_action()
    {
        await using var kit = await CouponKit.StartAsync();
        var codes = kit.App.Get<CouponCodes>();

        var all = Enumerable.Range(0, 200).Select(i => codes.For("GEN10", $"act-{i}")!).ToList();

        Assert.All(all, c => Assert.Matches("^GEN10-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}$", c));
        Assert.Equal(200, all.Distinct().Count());
        Assert.Equal(codes.For("GEN10", "act-7"), codes.For("GEN10", "act-7"));
    }

    [Fact]
    public async Task a_code_cannot_be_made_without_the_secret()
    {
        await using var one = await CouponKit.StartAsync(new() { ["Automation:Coupons:CodeSecret"] = "first-secret-0123456789abcdef0123456789" });
        await using var two = await CouponKit.StartAsync(new() { ["Automation:Coupons:CodeSecret"] = "other-secret-0123456789abcdef0123456789" });
        await using var fromLinkKey = await CouponKit.StartAsync();

        var a = one.App.Get<CouponCodes>().For("GEN10", "act-1")!;
        var b = two.App.Get<CouponCodes>().For("GEN10", "act-1")!;
        var c = fromLinkKey.App.Get<CouponCodes>().For("GEN10", "act-1")!;

        Assert.NotEqual(a, b);
        Assert.NotEqual(a, c);
        // Not the plain SHA-256 of the action key that anyone knowing the scheme could recompute.
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes("act-1"));
        var plain = "GEN10-" + new string([.. digest.Take(10).Select(x => CouponCodes.Alphabet[x % 32])]);
        var plainBits = "GEN10-" + new string([.. Enumerable.Range(0, 10).Select(i => CouponCodes.Alphabet[(int)((BitConverter.ToUInt64(digest, 0) >> (5 * i)) & 31)])]);
        Assert.DoesNotContain(a, new[] { plain, plainBits });
        Assert.DoesNotContain(c, new[] { plain, plainBits });
    }

    [Fact]
    public async Task without_any_secret_the_step_fails_with_a_reason_that_says_what_to_set()
    {
        await using var kit = await CouponKit.StartAsync(new() { ["Automation:Links:SigningKeys:0:Secret"] = "" });
        await kit.InstallAsync(CouponKit.Journey("gen10"));

        await kit.PostAsync(kit.Joined());

        var instance = (await kit.InstanceAsync())!;
        Assert.Contains(instance.History, h => h.Outcome == "couponFailed" && h.Detail!.Contains("Automation__Coupons__CodeSecret", StringComparison.Ordinal));
        Assert.Contains(instance.History, h => h is { Step: "email", Outcome: "skipped" });
        Assert.Empty(instance.Coupons);
    }

    [Fact]
    public async Task the_store_gets_a_signed_coupon_issued_webhook_before_the_email_carries_the_code()
    {
        await using var kit = await StartWithWebhookAsync();
        await kit.InstallAsync(CouponKit.Journey("gift5"));

        await kit.PostAsync(kit.Joined());

        var request = Assert.Single(_received);
        Assert.True(Verifies(request.Signature, request.Body), request.Signature);
        Assert.Matches(@"^t=\d+,v1=[0-9a-f]{64}$", request.Signature);
        Assert.Contains($"t={kit.Now.ToUnixTimeSeconds()},", request.Signature, StringComparison.Ordinal);
        var key = ActionKey.For(CouponKit.Store, "id:7", "gift.1.1");
        Assert.Equal(key, request.Key);
        var json = JsonNode.Parse(request.Body)!;
        Assert.Equal("coupon.issued", (string?)json["type"]);
        Assert.Equal(key, (string?)json["id"]);
        Assert.Equal(CouponKit.Store, (string?)json["storeId"]);
        Assert.Equal(5m, (decimal?)json["amountOff"]);
        Assert.Null(json["percentOff"]);
        Assert.Equal("EUR", (string?)json["currency"]);
        Assert.Equal(30m, (decimal?)json["minimumOrder"]);
        Assert.Equal(kit.Now.AddDays(7), DateTimeOffset.Parse((string)json["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("7", (string?)json["customer"]!["id"]);
        Assert.Equal("c7@example.com", (string?)json["customer"]!["email"]);

        var instance = (await kit.InstanceAsync())!;
        var coupon = instance.Coupons["coupon"];
        Assert.Equal((string?)json["code"], coupon.Code);
        Assert.Equal(5m, coupon.AmountOff);
        Assert.Equal("EUR", coupon.Currency);
        Assert.Equal(30m, coupon.MinimumOrder);
        Assert.Equal(kit.Now.AddDays(7), coupon.ExpiresAt);
        Assert.Contains(instance.History, h => h is { Step: "email", Outcome: "emailQueued" } && h.Detail!.Contains(coupon.Code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_store_that_fails_with_5xx_is_asked_again_later_with_the_same_code_and_idempotency_key()
    {
        await using var kit = await StartWithWebhookAsync();
        await kit.InstallAsync(CouponKit.Journey("gen10"));
        _answers.Enqueue((HttpStatusCode.ServiceUnavailable, "down"));
        _answers.Enqueue((HttpStatusCode.TooManyRequests, "slow down"));

        await kit.PostAsync(kit.Joined());
        Assert.Single(_received);
        Assert.DoesNotContain((await kit.InstanceAsync())!.History, h => h.Step == "email");

        await kit.AdvanceAsync("PT2H");

        Assert.Equal(3, _received.Count);
        Assert.Single(_received.Select(r => r.Key).Distinct());
        Assert.Single(_received.Select(r => (string?)JsonNode.Parse(r.Body)!["code"]).Distinct());
        Assert.All(_received, r => Assert.True(Verifies(r.Signature, r.Body)));
        var instance = (await kit.InstanceAsync())!;
        Assert.Equal((string?)JsonNode.Parse(_received.Last().Body)!["code"], instance.Coupons["coupon"].Code);
        Assert.Single(instance.History, h => h is { Step: "email", Outcome: "emailQueued" });
    }

    [Fact]
    public async Task a_store_that_refuses_the_coupon_fails_the_step_and_no_email_carries_a_code()
    {
        await using var kit = await StartWithWebhookAsync();
        await kit.InstallAsync(CouponKit.Journey("gen10"));
        _answers.Enqueue((HttpStatusCode.UnprocessableEntity, "{\"error\":\"prefix not allowed\"}"));

        await kit.PostAsync(kit.Joined());
        await kit.AdvanceAsync("PT2H");

        Assert.Single(_received);
        var instance = (await kit.InstanceAsync())!;
        var failed = Assert.Single(instance.History, h => h.Outcome == "couponFailed");
        Assert.Contains("422", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("prefix not allowed", failed.Detail, StringComparison.Ordinal);
        Assert.Empty(instance.Coupons);
        Assert.Contains(instance.History, h => h is { Step: "plain", Outcome: "emailQueued" });
        Assert.Contains(instance.History, h => h is { Step: "email", Outcome: "skipped" } && h.Detail!.Contains("was not issued", StringComparison.Ordinal));
        var code = (string)JsonNode.Parse(_received.Single().Body)!["code"]!;
        Assert.Equal(HttpStatusCode.NotFound, (await kit.CheckAsync(code)).StatusCode);
    }

    [Fact]
    public async Task a_crash_after_the_store_accepted_the_code_announces_the_same_code_again_and_emails_it_once()
    {
        await using var kit = await StartWithWebhookAsync();
        await kit.InstallAsync(CouponKit.Journey("gen10"));
        var crashes = 1;
        kit.App.Get<OutboxDispatcher>().FaultPoint = (point, a) =>
            point == "after-call" && a.Kind == Automation.Core.Journeys.Engine.ActionKinds.IssueCoupon && crashes-- > 0 ? throw new IOException("crash") : Task.CompletedTask;

        await kit.PostAsync(kit.Joined());
        await kit.AdvanceAsync("PT3M");

        Assert.Equal(2, _received.Count);
        Assert.Single(_received.Select(r => (string?)JsonNode.Parse(r.Body)!["code"]).Distinct());
        Assert.Single(_received.Select(r => r.Key).Distinct());
        var instance = (await kit.InstanceAsync())!;
        Assert.Single(instance.History, h => h is { Step: "email", Outcome: "emailQueued" });
        Assert.Equal("issued", (await (await kit.CheckAsync(instance.Coupons["coupon"].Code)).Content.ReadFromJsonAsync<JsonNode>())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task an_action_keeps_the_first_code_made_for_it_even_if_the_secret_changes()
    {
        await using var kit = await CouponKit.StartAsync();
        var table = kit.App.Get<CouponTable>();

        var first = await table.GeneratedCodeAsync(CouponKit.Store, "act-1", "GEN10-AAAAAAAAAA", default);
        var again = await table.GeneratedCodeAsync(CouponKit.Store, "act-1", "GEN10-BBBBBBBBBB", default);

        Assert.Equal(("GEN10-AAAAAAAAAA", "GEN10-AAAAAAAAAA"), (first, again));
    }
}
