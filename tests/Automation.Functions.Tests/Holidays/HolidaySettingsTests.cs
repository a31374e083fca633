using Automation.Core.Events;
using Automation.Functions.Events;
using Automation.Functions.Holidays;
using Automation.Functions.Hosting;
using Automation.Functions.Journeys;
using Automation.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Tests.Holidays;

/// <summary>Where calendars come from and go: the markets setting, the shipped file beside the app, shop redaction.</summary>
public sealed class HolidaySettingsTests
{
    [Theory]
    [InlineData("Automation:Stores:shop:Markets", "US,Germany", "Automation__Stores__shop__Markets has 'GERMANY'; use 2-letter ISO 3166-1 country codes")]
    [InlineData("Automation:Stores:shop:Country", "United States", "Automation__Stores__shop__Country 'United States' is not a 2-letter ISO 3166-1 code")]
    public async Task the_app_does_not_start_with_a_market_that_is_not_a_country_code(string setting, string value, string message)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(new() { [setting] = value }));

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "fr", new[] { "FR" })]
    [InlineData(" gb, DE ,gb,", "US", new[] { "GB", "DE" })]
    [InlineData(null, null, new string[0])]
    public void markets_default_to_the_country_and_are_upper_cased_once_each(string? markets, string? country, string[] expected)
    {
        Assert.Equal(expected, new StoreOptions { Markets = markets, Country = country }.MarketCodes());
    }

    [Fact]
    public void the_shipped_calendars_travel_with_the_app_and_the_journey_loader_leaves_them_alone()
    {
        Assert.True(File.Exists(HolidayDefaults.FilePath), HolidayDefaults.FilePath);
        Assert.Equal(["BR", "CN", "DE", "ES", "FR", "GB", "IN", "RU", "US"], HolidayDefaults.Load().Markets.Order());
        Assert.DoesNotContain(JourneyFiles.Shipped(), f => f.Json.Contains("\"markets\"", StringComparison.Ordinal));
        Assert.Equal(["dormancy-win-back.json", "first-order-follow-up.json", "post-complaint-survey.json", "pre-holiday.json"], JourneyFiles.Shipped().Select(f => f.File));
    }

    [Fact]
    public async Task shop_redaction_deletes_that_stores_edited_calendars_only()
    {
        var t0 = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        await using var app = await TestApp.StartAsync(new()
        {
            ["Automation:Stores:custom:Markets"] = "GB",
            ["Automation:Stores:custom2:Platform"] = "custom",
            ["Automation:Stores:custom2:Markets"] = "GB",
        });
        const string Empty = """{"schemaVersion": 1, "holidays": []}""";
        await app.SendCalendarAsync(app.Put("custom", "GB", Empty));
        await app.SendCalendarAsync(app.Put("custom2", "GB", Empty));

        await app.Get<EventProcessor>().ProcessAsync(
            new CustomerEvent("shopify-shop-redact", "custom", EventProcessor.ShopCustomerKey, EventTypes.ShopRedacted, t0, t0, "shopify"), default);

        Assert.Null(await app.Get<HolidayTable>().GetAsync("custom", "GB", default));
        Assert.NotNull(await app.Get<HolidayTable>().GetAsync("custom2", "GB", default));
        Assert.Equal(StoreCalendars.Default, (await app.GetCalendarAsync("custom", "GB")).Source);
    }
}
