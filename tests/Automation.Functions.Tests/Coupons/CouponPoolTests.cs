using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Automation.Functions.Coupons;

namespace Automation.Functions.Tests.Coupons;

/// <summary>Uploaded pools: the CSV upload, and that each code goes to exactly one action under concurrency.</summary>
public sealed class CouponPoolTests : IAsyncLifetime
{
    private CouponKit _kit = null!;

    public async Task InitializeAsync() => _kit = await CouponKit.StartAsync(new() { ["Automation:MaxBodyBytes"] = "4096" });

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    private static async Task<JsonElement> Json(HttpResponseMessage r) => await r.Content.ReadFromJsonAsync<JsonElement>();

    private async Task UploadCodesAsync(int count, string prefix = "SHOP")
    {
        var response = await _kit.UploadAsync("bulk", string.Join("\n", Enumerable.Range(1, count).Select(i => $"{prefix}{i:D3}")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task a_plain_list_with_a_header_row_is_added_and_counted()
    {
        var response = await _kit.UploadAsync("bulk", "code\r\nSPRING-AAA1\r\n  spring-bbb2  \r\n\r\nSPRING-CCC3\r\n");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await Json(response);
        Assert.Equal(3, json.GetProperty("added").GetInt32());
        Assert.Equal(0, json.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, json.GetProperty("invalid").GetArrayLength());
        var pool = await _kit.PoolAsync("bulk");
        Assert.Equal(3, pool.GetProperty("available").GetInt32());
        Assert.Equal(0, pool.GetProperty("assigned").GetInt32());
    }

    [Fact]
    public async Task the_first_column_of_a_shopify_bulk_code_export_is_taken()
    {
        const string export = "Code,Usage Count,Status\nWINTER-7QX2,0,active\n\"WINTER-8RZ3\",0,active\nWINTER-9SA4,0,active\n";

        var json = await Json(await _kit.UploadAsync("bulk", export));

        Assert.Equal(3, json.GetProperty("added").GetInt32());
        Assert.Equal(3, (await _kit.PoolAsync("bulk")).GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task invalid_lines_are_listed_by_line_and_duplicates_counted_without_failing_the_rest()
    {
        var first = await _kit.UploadAsync("bulk", "A-1\nB-2\n");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var long65 = new string('X', 65);

        var json = await Json(await _kit.UploadAsync("bulk", $"a-1\nC-3\nC-3\nhas space\n{long65}\nno/slash\n,second column only\nD-4"));

        Assert.Equal(2, json.GetProperty("added").GetInt32());
        Assert.Equal(2, json.GetProperty("duplicates").GetInt32());
        var invalid = json.GetProperty("invalid").EnumerateArray().Select(i => (i.GetProperty("line").GetInt32(), i.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal([4, 5, 6, 7], invalid.Select(i => i.Item1));
        Assert.Contains("64", invalid[1].Item2, StringComparison.Ordinal);
        Assert.Equal(4, (await _kit.PoolAsync("bulk")).GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task an_upload_of_only_known_codes_is_a_200_that_adds_nothing()
    {
        await _kit.UploadAsync("bulk", "A-1\n");

        var response = await _kit.UploadAsync("bulk", "A-1\n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await Json(response)).GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task a_used_code_uploaded_again_is_a_duplicate_and_not_handed_out_twice()
    {
        await _kit.UploadAsync("bulk", "ONLY-1\n");
        Assert.Equal("ONLY-1", (await _kit.IssueAsync("bulk", "act-a")).Code);

        var json = await Json(await _kit.UploadAsync("bulk", "only-1\n"));

        Assert.Equal(1, json.GetProperty("duplicates").GetInt32());
        Assert.Null((await _kit.IssueAsync("bulk", "act-b")).Code);
    }

    [Fact]
    public async Task uploads_to_unknown_generated_or_oversized_targets_are_refused_naming_the_problem()
    {
        var unknown = await _kit.UploadAsync("nope", "A-1\n");
        var generated = await _kit.UploadAsync("gen10", "A-1\n");
        var noStore = await _kit.UploadAsync("bulk", "A-1\n", store: "nowhere");
        var tooLarge = await _kit.UploadAsync("bulk", string.Join("\n", Enumerable.Range(0, 1000).Select(i => $"CODE-{i:D6}")));
        var json = await _kit.UploadAsync("bulk", "[\"A-1\"]", contentType: "application/json");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("'nope'", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, generated.StatusCode);
        Assert.Contains("'gen10'", await generated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, noStore.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(0, (await _kit.PoolAsync("bulk")).GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task forty_concurrent_issues_against_ten_codes_hand_out_each_code_exactly_once()
    {
        await UploadCodesAsync(10);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => _kit.IssueAsync("bulk", $"act-{i}", $"id:{i}"))));

        var codes = results.Where(r => r.Code is not null).Select(r => r.Code!).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());
        var empty = results.Where(r => r.Code is null).ToList();
        Assert.Equal(30, empty.Count);
        Assert.All(empty, r => Assert.False(r.Transient));
        Assert.All(empty, r => Assert.Contains("coupon pool 'bulk' has no codes left; upload more with POST /api/coupons/custom/pools/bulk", r.Failure, StringComparison.Ordinal));
        var pool = await _kit.PoolAsync("bulk");
        Assert.Equal(0, pool.GetProperty("available").GetInt32());
        Assert.Equal(10, pool.GetProperty("assigned").GetInt32());
    }

    [Fact]
    public async Task twenty_concurrent_retries_of_one_action_get_one_code_and_take_one_from_the_pool()
    {
        await UploadCodesAsync(30);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _kit.IssueAsync("bulk", "act-same"))));

        Assert.Single(results.Select(r => r.Code).Distinct());
        Assert.NotNull(results[0].Code);
        var pool = await _kit.PoolAsync("bulk");
        Assert.Equal(29, pool.GetProperty("available").GetInt32());
        Assert.Equal(1, pool.GetProperty("assigned").GetInt32());
    }

    [Fact]
    public async Task a_pool_code_reaches_the_email_and_the_check_endpoint_with_the_pools_value()
    {
        await _kit.InstallAsync(CouponKit.Journey("bulk"));
        await _kit.UploadAsync("bulk", "Code\nSummer-Q1\n");

        await _kit.PostAsync(_kit.Joined());

        var instance = (await _kit.InstanceAsync())!;
        Assert.Equal("Summer-Q1", instance.Coupons["coupon"].Code);
        Assert.Equal(15m, instance.Coupons["coupon"].PercentOff);
        Assert.Contains(instance.History, h => h is { Step: "email", Outcome: "emailQueued" } && h.Detail!.Contains("Summer-Q1", StringComparison.Ordinal));
        var view = await (await _kit.CheckAsync("SUMMER-Q1")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pool", view.GetProperty("source").GetString());
        Assert.Equal("bulk", view.GetProperty("pool").GetString());
    }

    [Fact]
    public async Task an_empty_pool_takes_the_failure_path_and_the_coupon_email_is_skipped_with_the_reason()
    {
        await _kit.InstallAsync(CouponKit.Journey("bulk"));

        await _kit.PostAsync(_kit.Joined());

        var instance = (await _kit.InstanceAsync())!;
        Assert.Contains(instance.History, h => h.Outcome == "couponFailed" && h.Detail!.Contains("coupon pool 'bulk' has no codes left", StringComparison.Ordinal));
        Assert.Contains(instance.History, h => h is { Step: "plain", Outcome: "emailQueued" });
        Assert.Contains(instance.History, h => h is { Step: "email", Outcome: "skipped", Detail: "coupon of step 'coupon' was not issued" });
        Assert.DoesNotContain(instance.History, h => h is { Step: "email", Outcome: "emailQueued" });
        Assert.Empty(instance.Coupons);
        Assert.Equal(0, (await _kit.PoolAsync("bulk")).GetProperty("assigned").GetInt32());
    }
}
