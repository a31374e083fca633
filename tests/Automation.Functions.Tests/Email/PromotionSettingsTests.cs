using Automation.Functions.Hosting;
using Automation.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Tests.Email;

/// <summary>A store's promotion and featured offers: bound from their settings, refused at start when an email could not use them, naming the setting.</summary>
public sealed class PromotionSettingsTests
{
    private static ValidateOptionsResult Validate(Dictionary<string, string?> settings)
    {
        var options = new AutomationOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(AutomationOptions.Section).Bind(options);
        return new OptionsValidation().Validate(null, options);
    }

    private static Dictionary<string, string?> Offer(string list, int n, string? category, string title, string url, string? image = null)
    {
        var prefix = $"Automation:Stores:demo:{list}:{n}:";
        var settings = new Dictionary<string, string?> { [prefix + "Title"] = title, [prefix + "Url"] = url };
        if (category is not null) settings[prefix + "Category"] = category;
        if (image is not null) settings[prefix + "ImageUrl"] = image;
        return settings;
    }

    private static Dictionary<string, string?> Join(params Dictionary<string, string?>[] parts) =>
        parts.SelectMany(p => p).ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void offers_bind_from_their_settings_in_order()
    {
        var settings = Join(
            Offer("Promotions", 0, "Shoes", "Running shoes", "https://demo.example/running", "https://cdn.demo.example/r.jpg"),
            Offer("Promotions", 1, "Hats", "Winter hats", "http://localhost:3000/hats"),
            Offer("Featured", 0, null, "Gift cards", "https://demo.example/gift-cards"));
        var options = new AutomationOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(AutomationOptions.Section).Bind(options);

        var store = options.Stores["demo"];
        Assert.Equal([("Shoes", "Running shoes", "https://demo.example/running", "https://cdn.demo.example/r.jpg"), ("Hats", "Winter hats", "http://localhost:3000/hats", null)],
            store.Promotions.Select(p => (p.Category, p.Title, p.Url, p.ImageUrl)));
        Assert.Equal(("Gift cards", (string?)null), (store.Featured.Single().Title, store.Featured.Single().Category));
        Assert.True(Validate(settings).Succeeded);
    }

    public static TheoryData<string, Dictionary<string, string?>, string> Refused => new()
    {
        { "no title", Offer("Promotions", 0, "Shoes", " ", "https://demo.example/x"), "Automation__Stores__demo__Promotions__0__Title is required" },
        { "long title", Offer("Featured", 0, null, new string('t', 201), "https://demo.example/x"), "Automation__Stores__demo__Featured__0__Title is 201 characters; at most 200" },
        { "http", Offer("Promotions", 0, "Shoes", "Shoes", "http://demo.example/x"), "Automation__Stores__demo__Promotions__0__Url 'http://demo.example/x' is not an absolute https URL (http only for localhost)" },
        { "relative", Offer("Featured", 0, null, "Shoes", "/shoes"), "Automation__Stores__demo__Featured__0__Url '/shoes' is not an absolute https URL" },
        { "no url", Offer("Featured", 0, null, "Shoes", ""), "Automation__Stores__demo__Featured__0__Url '' is not an absolute https URL" },
        { "image", Offer("Promotions", 0, "Shoes", "Shoes", "https://demo.example/x", "ftp://cdn.example/x.jpg"), "Automation__Stores__demo__Promotions__0__ImageUrl 'ftp://cdn.example/x.jpg' is not an absolute https URL" },
        { "no category", Offer("Promotions", 0, null, "Shoes", "https://demo.example/x"), "Automation__Stores__demo__Promotions__0__Category is required: a promotion is picked by a category the customer bought (offers for anyone go in Featured)" },
        { "long category", Offer("Promotions", 0, new string('c', 65), "Shoes", "https://demo.example/x"), "Automation__Stores__demo__Promotions__0__Category is 65 characters; order lines' categories are kept to 64, so it would never match" },
        { "too many", Join([.. Enumerable.Range(0, 21).Select(i => Offer("Promotions", i, "Shoes", $"Shoes {i}", $"https://demo.example/{i}"))]), "Automation__Stores__demo__Promotions has 21 entries; a store has at most 20" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void an_offer_an_email_could_not_use_is_refused_naming_the_setting(string why, Dictionary<string, string?> settings, string message)
    {
        var result = Validate(settings);

        Assert.True(result.Failed, why);
        Assert.Contains(message, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_app_does_not_start_with_a_promotion_that_links_nowhere()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(new()
        {
            ["Automation:Stores:shop:Promotions:0:Category"] = "Shoes",
            ["Automation:Stores:shop:Promotions:0:Title"] = "Running shoes",
        }));

        Assert.Contains("Automation__Stores__shop__Promotions__0__Url '' is not an absolute https URL", failure.Message, StringComparison.Ordinal);
    }
}
