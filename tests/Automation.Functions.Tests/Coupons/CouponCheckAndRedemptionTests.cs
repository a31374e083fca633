using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Automation.Core.Events;

namespace Automation.Functions.Tests.Coupons;

/// <summary>The store's coupon check (<c>GET /api/coupons/{store}/{code}</c>) and redemption by an order.</summary>
public sealed class CouponCheckAndRedemptionTests : IAsyncLifetime
{
    private CouponKit _kit = null!;

    public async Task InitializeAsync()
    {
        _kit = await CouponKit.StartAsync();
        await _kit.InstallAsync(CouponKit.Journey("gen10"));
    }

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    private async Task<string> IssuedCodeAsync()
    {
        await _kit.PostAsync(_kit.Joined());
        return (await _kit.InstanceAsync())!.Coupons["coupon"].Code;
    }

    private async Task<JsonElement> CheckAsync(string code)
    {
        var response = await _kit.CheckAsync(code);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task an_issued_code_is_checkable_with_its_value_and_where_it_came_from_in_any_case()
    {
        var code = await IssuedCodeAsync();

        var view = await CheckAsync(code.ToLowerInvariant());

        Assert.Equal(code, view.GetProperty("code").GetString());
        Assert.Equal("issued", view.GetProperty("status").GetString());
        Assert.Equal("generated", view.GetProperty("source").GetString());
        Assert.Equal(10m, view.GetProperty("percentOff").GetDecimal());
        Assert.Equal(_kit.Now.AddDays(30), view.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(_kit.Now, view.GetProperty("issuedAt").GetDateTimeOffset());
        Assert.Equal("gift", view.GetProperty("journey").GetString());
        Assert.Equal("coupon", view.GetProperty("step").GetString());
        Assert.False(view.TryGetProperty("redeemedOrderId", out _));
    }

    [Fact]
    public async Task a_code_past_its_expiry_checks_as_expired()
    {
        var code = await IssuedCodeAsync();
        _kit.App.Clock.Advance(TimeSpan.FromDays(31));

        Assert.Equal("expired", (await CheckAsync(code)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task unknown_stores_and_codes_are_404s_that_say_which()
    {
        var noStore = await _kit.CheckAsync("GEN10-ABCDEFGHJK", store: "nowhere");
        var noCode = await _kit.CheckAsync("GEN10-ABCDEFGHJK");
        var notACode = await _kit.CheckAsync("bad.code");

        Assert.Equal(HttpStatusCode.NotFound, noStore.StatusCode);
        Assert.Contains("nowhere", await noStore.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, noCode.StatusCode);
        Assert.Contains("no coupon 'GEN10-ABCDEFGHJK'", await noCode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, notACode.StatusCode);
    }

    [Fact]
    public async Task an_order_with_the_code_redeems_it_and_the_conversion_names_the_coupon_and_its_step()
    {
        var code = await IssuedCodeAsync();

        await _kit.PostAsync(_kit.Order("o-1", 80m, [code.ToLowerInvariant(), "SOMEONE-ELSES"]));

        var view = await CheckAsync(code);
        Assert.Equal("redeemed", view.GetProperty("status").GetString());
        Assert.Equal("o-1", view.GetProperty("redeemedOrderId").GetString());
        Assert.Equal(80m, view.GetProperty("redeemedRevenue").GetDecimal());
        Assert.Equal(_kit.Now, view.GetProperty("redeemedAt").GetDateTimeOffset());
        var conversion = (await _kit.InstanceAsync())!.Conversion!;
        Assert.Equal(code, conversion.Coupon);
        Assert.Equal("coupon", conversion.CouponStep);
        Assert.Equal(80m, conversion.Revenue);
    }

    [Fact]
    public async Task a_second_order_event_with_the_code_does_not_move_the_redemption()
    {
        var code = await IssuedCodeAsync();
        await _kit.PostAsync(_kit.Order("o-1", 80m, [code]));
        _kit.App.Clock.Advance(TimeSpan.FromHours(1));

        await _kit.PostAsync(_kit.Order("o-1", 80m, [code], type: EventTypes.OrderPaid));
        await _kit.PostAsync(_kit.Order("o-2", 20m, [code]));

        var view = await CheckAsync(code);
        Assert.Equal("o-1", view.GetProperty("redeemedOrderId").GetString());
        Assert.Equal(_kit.Now.AddHours(-1), view.GetProperty("redeemedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task a_redemption_lost_after_the_commit_is_made_on_the_redelivery()
    {
        var code = await IssuedCodeAsync();
        var processor = _kit.App.Get<Automation.Functions.Events.EventProcessor>();
        var order = _kit.Order("o-1", 80m, [code]);
        var crashes = 1;
        processor.FaultPoint = (point, e) => point == "after-commit" && e.Id == order.Id && crashes-- > 0 ? throw new IOException("crash") : Task.CompletedTask;

        await Assert.ThrowsAsync<IOException>(() => processor.ProcessAsync(order, default));
        Assert.Equal("issued", (await CheckAsync(code)).GetProperty("status").GetString());
        await processor.ProcessAsync(order, default);

        Assert.Equal("redeemed", (await CheckAsync(code)).GetProperty("status").GetString());
    }
}
