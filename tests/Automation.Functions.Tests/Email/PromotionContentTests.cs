using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;
using Automation.Core.Profiles;
using Automation.Functions.Email;
using Automation.Functions.Hosting;

namespace Automation.Functions.Tests.Email;

/// <summary>The pre-holiday push's content: offers picked from what the customer bought, the holiday it is for, the template in every language.</summary>
public sealed class PromotionContentTests
{
    private const string Template = "pre-holiday";

    private static PromotionOptions Offer(string? category, string title, string? image = null) =>
        new() { Category = category, Title = title, Url = $"https://demo.example/{title.ToLowerInvariant().Replace(' ', '-')}", ImageUrl = image };

    private static StoreOptions Store(List<PromotionOptions>? promotions = null, List<PromotionOptions>? featured = null) =>
        EmailKit.Store(s => (s.Promotions, s.Featured) = (promotions ?? [], featured ?? []));

    /// <summary>A customer whose orders bought these units per category, oldest order first.</summary>
    private static CustomerProfile Bought(string? locale, params (string Category, int Units)[][] orders)
    {
        var ledger = orders.Select((lines, i) => (Id: $"o{i}", Entry: new OrderEntry
        {
            PlacedAt = EmailKit.Now.AddDays(i - 60),
            FirstSeenAt = EmailKit.Now.AddDays(i - 60),
            Categories = lines.ToImmutableSortedDictionary(l => l.Category, l => l.Units, StringComparer.Ordinal),
        }));
        return EmailKit.Customer(locale) with
        {
            Orders = ledger.ToImmutableSortedDictionary(o => o.Id, o => o.Entry, StringComparer.Ordinal),
        };
    }

    private static readonly List<PromotionOptions> Catalogue =
    [
        Offer("Shoes", "Running shoes"), Offer("Hats", "Winter hats"), Offer("shoes", "Trail shoes"),
        Offer("Socks", "Wool socks"), Offer("Scarves", "Silk scarves"),
    ];

    private static readonly List<PromotionOptions> Favourites = [Offer(null, "Gift cards"), Offer("Home", "Candles"), Offer(null, "Mugs"), Offer(null, "Posters")];

    private static JourneyStates Scheduled(JsonObject data, int run = 1, string type = EventTypes.JourneyScheduled) => EmailKit.Journeys(new JourneyInstance
    {
        JourneyId = "dormancy-win-back", Version = 1, Run = run, StepId = "email-20", StartedAt = EmailKit.Now,
        Trigger = new EventRef("sched-1", type, EmailKit.Now, Data: data),
    });

    private static JsonObject BlackFriday() => new()
    {
        ["journey"] = "pre-holiday", ["holiday"] = "black-friday", ["holidayName"] = "Black Friday", ["date"] = "2026-11-27", ["market"] = "GB",
    };

    private static ComposedEmail Compose(CustomerProfile customer, StoreOptions store, JourneyStates? journeys = null, IssuedCoupon? coupon = null, string category = "marketing") =>
        EmailKit.Compose(EmailKit.Action(Template, category, coupon), customer, store, journeys);

    private static List<string> Titles(ComposedEmail email) =>
        [.. ((List<Dictionary<string, object?>>)email.TemplateData["picks"]!).Select(p => (string)p["title"]!)];

    // ICU versions differ in which space they use (plain, no-break, narrow no-break): compare the words.
    private static string Spaces(object? s) => ((string)s!).Replace('\u00A0', ' ').Replace('\u202F', ' ');

    private static Dictionary<string, object?> Occasion(ComposedEmail email) => (Dictionary<string, object?>)email.TemplateData["occasion"]!;

    [Fact]
    public void picks_are_the_promotions_of_the_customers_categories_most_bought_first_one_per_category_first()
    {
        // Hats 5 units; Shoes 2 + shoes 2 = 4 (one category, whatever the case); Socks 1; Belts has no promotion.
        var customer = Bought("en", [("Hats", 5), ("shoes", 2)], [("Shoes", 2), ("Socks", 1), ("Belts", 9)]);

        var email = Compose(customer, Store(Catalogue, Favourites));

        Assert.Equal(["Winter hats", "Running shoes", "Wool socks"], Titles(email)); // a third category before a second shoe offer
        Assert.Equal(true, email.TemplateData["personalised"]);
        var first = ((List<Dictionary<string, object?>>)email.TemplateData["picks"]!)[0];
        Assert.Equal(new Dictionary<string, object?> { ["title"] = "Winter hats", ["url"] = "https://demo.example/winter-hats", ["category"] = "Hats" }, first);
    }

    [Fact]
    public void a_category_with_several_promotions_fills_the_picks_when_the_others_have_none()
    {
        var customer = Bought("en", [("SHOES", 1), ("Belts", 7)]);

        var email = Compose(customer, Store([.. Catalogue, Offer("Shoes", "Boots"), Offer("Shoes", "Sandals")]));

        Assert.Equal(["Running shoes", "Trail shoes", "Boots"], Titles(email)); // at most three, in the store's order
    }

    [Fact]
    public void one_offer_listed_under_two_bought_categories_is_picked_once()
    {
        var gift = Offer("Hats", "Gift box");
        var customer = Bought("en", [("Hats", 3), ("Scarves", 2)]);

        var email = Compose(customer, Store([gift, new PromotionOptions { Category = "Scarves", Title = "Gift box", Url = gift.Url }, Offer("Scarves", "Silk scarves")]));

        Assert.Equal(["Gift box", "Silk scarves"], Titles(email));
    }

    [Fact]
    public void a_customer_none_of_whose_categories_has_a_promotion_gets_the_first_three_featured_offers()
    {
        var noMatch = Compose(Bought("en", [("Belts", 2)]), Store(Catalogue, Favourites));
        var neverBought = Compose(EmailKit.Customer(), Store(Catalogue, Favourites));

        Assert.Equal(["Gift cards", "Candles", "Mugs"], Titles(noMatch));
        Assert.Equal(false, noMatch.TemplateData["personalised"]);
        Assert.Equal(Titles(noMatch), Titles(neverBought));
        Assert.Equal("Home", ((List<Dictionary<string, object?>>)noMatch.TemplateData["picks"]!)[1]["category"]);
    }

    [Fact]
    public void cancelled_orders_do_not_choose_the_picks()
    {
        var customer = Bought("en", [("Hats", 5)], [("Socks", 1)]);
        customer = customer with { Orders = customer.Orders.SetItem("o0", customer.Orders["o0"] with { CancelledAt = EmailKit.Now.AddDays(-50) }) };

        Assert.Equal(["Wool socks"], Titles(Compose(customer, Store(Catalogue))));
    }

    [Fact]
    public void without_promotions_or_featured_offers_there_are_no_picks()
    {
        var email = Compose(Bought("en", [("Hats", 5)]), Store());

        Assert.False(email.TemplateData.ContainsKey("picks"));
        Assert.Equal(false, email.TemplateData["personalised"]);
    }

    [Fact]
    public void a_service_email_carries_no_offers()
    {
        var email = EmailKit.Compose(EmailKit.Action("complaint-thank-you", "service"), Bought("en", [("Hats", 5)]), Store(Catalogue, Favourites));

        Assert.False(email.TemplateData.ContainsKey("picks"));
        Assert.False(email.TemplateData.ContainsKey("personalised"));
    }

    [Theory]
    [InlineData("en-GB", "Black Friday", "27 November 2026")]
    [InlineData("en", "Black Friday", "November 27, 2026")]
    [InlineData("fr", null, "27 novembre 2026")]
    [InlineData("ru", null, "27 ноября 2026")]
    public void the_occasion_is_the_scheduled_triggers_holiday_its_date_in_the_recipients_words_and_its_english_name_in_english_only(
        string locale, string? name, string date)
    {
        var occasion = Occasion(Compose(EmailKit.Customer(locale), Store(), Scheduled(BlackFriday())));

        Assert.Equal("black-friday", occasion["id"]);
        Assert.Equal(name, (string?)occasion.GetValueOrDefault("name"));
        Assert.Equal(date, Spaces(occasion["date"]));
        Assert.DoesNotContain("market", occasion.Keys);
    }

    [Fact]
    public void an_occasion_without_a_name_or_a_readable_date_keeps_what_it_has()
    {
        var data = BlackFriday();
        data.Remove("holidayName");
        data["date"] = "27/11/2026";

        Assert.Equal(new Dictionary<string, object?> { ["id"] = "black-friday" }, Occasion(Compose(EmailKit.Customer(), Store(), Scheduled(data))));
    }

    [Fact]
    public void there_is_no_occasion_without_a_scheduled_trigger_naming_a_holiday_in_this_run_or_for_a_schedule_on_a_date()
    {
        var noHoliday = BlackFriday();
        noHoliday.Remove("holiday");
        var onADate = new JsonObject { ["journey"] = "pre-holiday", ["holiday"] = "date", ["date"] = "2026-12-01", ["market"] = "GB" }; // as the broadcast planner writes it

        Assert.False(Compose(EmailKit.Customer(), Store()).TemplateData.ContainsKey("occasion"));
        Assert.False(Compose(EmailKit.Customer(), Store(), Scheduled(noHoliday)).TemplateData.ContainsKey("occasion"));
        Assert.False(Compose(EmailKit.Customer(), Store(), Scheduled(onADate)).TemplateData.ContainsKey("occasion"));
        Assert.False(Compose(EmailKit.Customer(), Store(), Scheduled(BlackFriday(), run: 2)).TemplateData.ContainsKey("occasion"));
        Assert.False(Compose(EmailKit.Customer(), Store(), Scheduled(BlackFriday(), type: "order.placed")).TemplateData.ContainsKey("occasion"));
    }

    public static TheoryData<string, bool, bool, bool> Variants
    {
        get
        {
            var data = new TheoryData<string, bool, bool, bool>();
            foreach (var locale in TemplateRenderingTests.Locales)
                foreach (var (picks, coupon, occasion) in new[] { (true, true, true), (false, false, false), (true, false, true), (false, true, false) })
                    data.Add(locale, picks, coupon, occasion);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void the_pre_holiday_template_renders_in_every_locale_with_and_without_picks_coupon_and_occasion(string locale, bool picks, bool coupon, bool occasion)
    {
        var store = Store(picks ? [Offer("Hats", "Winter hats", image: "https://cdn.demo.example/hats.jpg"), Offer("Socks", "Wool socks")] : []);
        var email = Compose(Bought(locale, [("Hats", 2), ("Socks", 1)]), store, occasion ? Scheduled(BlackFriday()) : null, coupon ? EmailKit.Coupon(minimum: 50m) : null);

        Assert.Equal(locale, email.Locale);
        foreach (var text in new[] { email.Subject, email.Html, email.Text })
            Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<", email.Text, StringComparison.Ordinal);
        var unsubscribe = email.Headers["List-Unsubscribe"].Trim('<', '>');
        Assert.Contains($"href=\"{unsubscribe}\"", email.Html, StringComparison.Ordinal);
        Assert.Contains(EmailKit.Address, email.Text, StringComparison.Ordinal);
        Assert.Contains("Ana", email.Subject, StringComparison.Ordinal);
        Assert.Contains("href=\"https://demo.example\"", email.Html, StringComparison.Ordinal); // the store
        Assert.Equal(picks, email.Html.Contains("<a href=\"https://demo.example/winter-hats\"><img src=\"https://cdn.demo.example/hats.jpg\"", StringComparison.Ordinal));
        Assert.Equal(picks, email.Text.Contains("Winter hats (https://demo.example/winter-hats)", StringComparison.Ordinal));
        Assert.Equal(picks, email.Text.Contains("Wool socks (https://demo.example/wool-socks)", StringComparison.Ordinal));
        Assert.Equal(coupon, email.Text.Contains("WB-7KQ2", StringComparison.Ordinal));
        Assert.Equal(coupon, email.Html.Contains("<strong>WB-7KQ2</strong>", StringComparison.Ordinal));
        if (occasion) Assert.Contains(Spaces(Occasion(email)["date"]), Spaces(email.Text), StringComparison.Ordinal);
        Assert.Equal(occasion && locale == "en", email.Subject.StartsWith("Black Friday", StringComparison.Ordinal));
    }

    [Fact]
    public void personalised_picks_and_featured_offers_are_introduced_differently()
    {
        var forYou = Compose(Bought("en", [("Hats", 2)]), Store([Offer("Hats", "Winter hats")], Favourites));
        var featured = Compose(Bought("en", [("Belts", 2)]), Store([Offer("Hats", "Winter hats")], Favourites));

        Assert.Contains("We picked these for you", forYou.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("We picked these for you", featured.Text, StringComparison.Ordinal);
        Assert.Contains("A few of our favourites", featured.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void the_english_email_names_the_holiday_and_its_date()
    {
        var email = Compose(EmailKit.Customer("en-GB"), Store(), Scheduled(BlackFriday()), EmailKit.Coupon());

        Assert.Equal("Black Friday is almost here, Ana: 20% off for you", email.Subject);
        Assert.Contains("Black Friday is on 27 November 2026, and Demo & Co is ready for it.", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void a_title_with_markup_is_escaped_in_html()
    {
        var email = Compose(Bought("en", [("Hats", 2)]), Store([new PromotionOptions { Category = "Hats", Title = "<b>Hats</b> & more", Url = "https://demo.example/h?a=1&b=2" }]));

        Assert.Contains("&lt;b&gt;Hats&lt;/b&gt; &amp; more", email.Html, StringComparison.Ordinal);
        Assert.Contains("Hats & more (https://demo.example/h?a=1&b=2)", email.Text, StringComparison.Ordinal);
    }
}
