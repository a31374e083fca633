using Automation.Core.Journeys.Definitions;
using Automation.Core.Tests.Journeys.Scenarios;

namespace Automation.Core.Tests.Journeys.Coupons;

/// <summary>The coupon pools of the catalog: what a pool must promise, with problems naming the pool and field.</summary>
public sealed class CatalogValidatorTests
{
    private static IReadOnlyList<JourneyProblem> Check(CouponPool pool, string name = "spring") =>
        CatalogValidator.Check(new Dictionary<string, CouponPool> { [name] = pool });

    private static void Refused(CouponPool pool, string path, string words, string name = "spring")
    {
        var problems = Check(pool, name);
        Assert.Contains(problems, p => p.Path == path && p.Message.Contains(words, StringComparison.Ordinal) && p.Message.Contains($"'{name}'", StringComparison.Ordinal));
    }

    [Fact]
    public void the_shipped_catalog_is_valid() =>
        Assert.Empty(CatalogValidator.Check(ShippedJourneys.CatalogDocument.CouponPools));

    [Fact]
    public void percent_amount_and_pool_definitions_that_promise_one_thing_are_valid()
    {
        Assert.Empty(Check(new() { PercentOff = 100, ValidFor = "P14D", Prefix = "FREE" }));
        Assert.Empty(Check(new() { AmountOff = 5, Currency = "EUR", MinimumOrder = 30, ValidFor = "PT48H", Prefix = "GIFT5" }));
        Assert.Empty(Check(new() { AmountOff = 5, ValidFor = "P7D", Prefix = "A1" }));
        Assert.Empty(Check(new() { Source = CouponSources.Pool, PercentOff = 15, ValidFor = "P14D" }));
    }

    [Fact]
    public void a_pool_must_give_exactly_one_of_percent_and_amount()
    {
        Refused(new() { ValidFor = "P1D", Prefix = "X" }, "$.couponPools.spring.percentOff", "exactly one of percentOff");
        Refused(new() { PercentOff = 10, AmountOff = 5, ValidFor = "P1D", Prefix = "X" }, "$.couponPools.spring.amountOff", "exactly one of percentOff");
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(100.5)]
    public void a_percentage_is_more_than_0_and_at_most_100(double percent) =>
        Refused(new() { PercentOff = (decimal)percent, ValidFor = "P1D", Prefix = "X" }, "$.couponPools.spring.percentOff", "more than 0 and at most 100");

    [Fact]
    public void an_amount_is_positive_in_a_three_letter_currency_and_a_minimum_is_positive()
    {
        Refused(new() { AmountOff = 0, ValidFor = "P1D", Prefix = "X" }, "$.couponPools.spring.amountOff", "must be more than 0");
        Refused(new() { AmountOff = 5, Currency = "euro", ValidFor = "P1D", Prefix = "X" }, "$.couponPools.spring.currency", "3-letter");
        Refused(new() { PercentOff = 5, Currency = "EUR", ValidFor = "P1D", Prefix = "X" }, "$.couponPools.spring.currency", "only goes with amountOff");
        Refused(new() { PercentOff = 5, MinimumOrder = 0, ValidFor = "P1D", Prefix = "X" }, "$.couponPools.spring.minimumOrder", "more than 0");
    }

    [Theory]
    [InlineData("P1M", "years or months")]
    [InlineData("30 days", "not an ISO 8601 duration")]
    [InlineData("PT0S", "longer than zero")]
    public void valid_for_is_a_positive_iso_duration(string validFor, string words) =>
        Refused(new() { PercentOff = 5, ValidFor = validFor, Prefix = "X" }, "$.couponPools.spring.validFor", words);

    [Theory]
    [InlineData("")]
    [InlineData("back20")]
    [InlineData("BACK-20")]
    [InlineData("THIRTEENCHARS")]
    public void generated_codes_need_a_prefix_of_up_to_12_upper_case_letters_and_digits(string prefix) =>
        Refused(new() { PercentOff = 5, ValidFor = "P1D", Prefix = prefix }, "$.couponPools.spring.prefix", "1 to 12 upper-case letters and digits");

    [Fact]
    public void uploaded_pools_take_no_prefix_and_sources_are_generated_or_pool()
    {
        Refused(new() { Source = CouponSources.Pool, PercentOff = 5, ValidFor = "P1D", Prefix = "X" }, "$.couponPools.spring.prefix", "has no prefix");
        Refused(new() { Source = "shopify", PercentOff = 5, ValidFor = "P1D", Prefix = "X" }, "$.couponPools.spring.source", "'shopify' is not a source");
    }

    [Fact]
    public void pool_names_follow_the_id_rule() =>
        Refused(new() { PercentOff = 5, ValidFor = "P1D", Prefix = "X" }, "$.couponPools.Spring Sale", "lower-case letters", name: "Spring Sale");
}
