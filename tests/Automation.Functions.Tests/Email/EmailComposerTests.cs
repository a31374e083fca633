using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Email;

namespace Automation.Functions.Tests.Email;

/// <summary>What the composer puts around the rendered template: locale, formatting, headers, args, groups, categories.</summary>
public sealed class EmailComposerTests
{
    public static TheoryData<string?, string?, string> Fallbacks => new()
    {
        { "pt-BR", "en", "pt-BR" },
        { "pt_br", "en", "pt-BR" },
        { "pt", "en", "pt-BR" },      // the language, then another region of it
        { "pt-PT", "en", "pt-BR" },
        { "fr-CA", "en", "fr" },
        { "de-DE", "es", "es" },      // the customer's language is not written: the store's
        { "de", "ru-RU", "ru" },
        { null, "fr", "fr" },
        { "", "pt-BR", "pt-BR" },
        { "de", "it", "en" },         // neither: English
        { null, null, "en" },
        { "not a locale!", "es", "es" },
    };

    [Theory]
    [MemberData(nameof(Fallbacks))]
    public void locale_falls_back_from_the_customers_to_the_stores_to_english(string? customer, string? store, string expected) =>
        Assert.Equal(expected, EmailLocales.Choose(["en", "es", "fr", "pt-BR", "ru"], customer, store));

    [Fact]
    public void a_template_without_english_falls_back_to_a_locale_it_has() =>
        Assert.Equal("fr", EmailLocales.Choose(["fr"], "de", "it"));

    public static TheoryData<string, string, string, string> Formats => new()
    {
        // locale, percent value, amount value (EUR 10), expiry date in Europe/Paris (2026-12-05T22:59Z is 23:59 there)
        { "en", "20%", "€10.00", "December 5, 2026" },
        { "en-GB", "20%", "€10.00", "5 December 2026" },
        { "fr", "20\u202F%", "10,00\u00A0€", "5 décembre 2026" },
        { "ru", "20\u00A0%", "10,00\u00A0€", "5 декабря 2026" },
        { "pt-BR", "20%", "€ 10,00", "5 de dezembro de 2026" },
        { "es", "20\u00A0%", "10,00\u00A0€", "5 de diciembre de 2026" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void coupon_value_and_expiry_are_formatted_in_the_recipients_locale(string locale, string percent, string amount, string expires)
    {
        var byPercent = Coupon(EmailKit.Compose(EmailKit.Action("winback-20", coupon: EmailKit.Coupon(20m)), EmailKit.Customer(locale)));
        var byAmount = Coupon(EmailKit.Compose(EmailKit.Action("winback-20", coupon: EmailKit.Coupon(amount: 10m, currency: "EUR")), EmailKit.Customer(locale)));

        // ICU versions differ in which space they use (plain, no-break, narrow no-break): compare the words.
        Assert.Equal((Spaces(percent), Spaces(amount), Spaces(expires)), (Spaces(byPercent["value"]), Spaces(byAmount["value"]), Spaces(byPercent["expires"])));
        Assert.DoesNotContain(" ", (string)byAmount["value"]!, StringComparison.Ordinal); // never broken across lines
        Assert.Equal("20", byPercent["percentOff"]);
        Assert.Equal(("10.00", "EUR"), ((string)byAmount["amountOff"]!, (string)byAmount["currency"]!));
        Assert.Equal("2026-12-05T22:59:00Z", byPercent["expiresAt"]);
    }

    [Fact]
    public void expiry_is_the_day_in_the_recipients_time_zone()
    {
        // 22:59 UTC on 5 December is already 6 December in Tokyo, still 5 December in New York.
        var tokyo = Coupon(EmailKit.Compose(EmailKit.Action("winback-20", coupon: EmailKit.Coupon()), EmailKit.Customer("en-GB", timeZone: "Asia/Tokyo")));
        var newYork = Coupon(EmailKit.Compose(EmailKit.Action("winback-20", coupon: EmailKit.Coupon()), EmailKit.Customer("en-GB", timeZone: "America/New_York")));
        var storeZone = Coupon(EmailKit.Compose(EmailKit.Action("winback-20", coupon: EmailKit.Coupon()), EmailKit.Customer("en-GB"), EmailKit.Store(s => s.TimeZone = "Pacific/Auckland")));

        Assert.Equal(("6 December 2026", "5 December 2026", "6 December 2026"), ((string)tokyo["expires"]!, (string)newYork["expires"]!, (string)storeZone["expires"]!));
    }

    [Fact]
    public void a_minimum_order_and_the_order_that_started_the_run_are_formatted_in_the_store_currency()
    {
        var instance = new JourneyInstance
        {
            JourneyId = "dormancy-win-back", Version = 1, Run = 1, StepId = "email-20", StartedAt = EmailKit.Now,
            Trigger = new EventRef("evt-1", "order.placed", EmailKit.Now, "1001", 1234.5m),
        };
        var email = EmailKit.Compose(EmailKit.Action("winback-20", coupon: EmailKit.Coupon(minimum: 50m)), EmailKit.Customer("fr"), journeys: EmailKit.Journeys(instance));

        Assert.Equal("50,00 €", Spaces(Coupon(email)["minimumOrder"]));
        var order = (Dictionary<string, object?>)email.TemplateData["order"]!;
        Assert.Equal(("1001", "1 234,50 €"), ((string)order["id"]!, Spaces(order["total"])));
        Assert.Contains("d’au moins 50,00", Spaces(email.Html), StringComparison.Ordinal);

        var otherRun = EmailKit.Compose(EmailKit.Action("winback-20", coupon: EmailKit.Coupon()), journeys: EmailKit.Journeys(instance with { Run = 2 }));
        Assert.False(otherRun.TemplateData.ContainsKey("order"));
    }

    [Fact]
    public void a_marketing_email_carries_one_click_unsubscribe_the_stores_group_sender_args_and_categories()
    {
        var email = EmailKit.Compose(EmailKit.Action("winback-20", coupon: EmailKit.Coupon()));

        Assert.Equal(new Mailbox("hello@demo.example", "Demo"), email.From);
        Assert.Equal(new Mailbox("care@demo.example"), email.ReplyTo);
        Assert.Equal("ana@example.com", email.To);
        Assert.Equal(4242, email.AsmGroupId);
        Assert.Equal(["dormancy-win-back", "winback-20"], email.Categories);
        Assert.Equal(new Dictionary<string, string>
        {
            ["send_id"] = "act-0123", ["store"] = "demo", ["customer"] = "id:42", ["journey"] = "dormancy-win-back",
            ["step"] = "email-20", ["run"] = "1", ["template"] = "winback-20",
        }, email.CustomArgs);
        Assert.True(email.CustomArgs.Sum(a => Encoding.UTF8.GetByteCount(a.Key + a.Value)) <= 10_000);
        Assert.Equal(["List-Unsubscribe", "List-Unsubscribe-Post"], email.Headers.Keys);
        Assert.Matches("^<https://links.example/api/r/unsubscribe/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+>$", email.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", email.Headers["List-Unsubscribe-Post"]);
        var token = EmailKit.Links().Read(email.Headers["List-Unsubscribe"].Trim('<', '>').Split('/')[^1], EmailKit.Now);
        Assert.Equal(new Automation.Functions.Recipients.LinkToken("u", "demo", "id:42", "dormancy-win-back", "act-0123", EmailKit.Now.AddDays(365)), token);
        Assert.Null(email.DynamicTemplateId);
        Assert.False(((Dictionary<string, object?>)email.TemplateData["links"]!).ContainsKey("score1"));
    }

    [Fact]
    public void a_service_email_has_no_unsubscribe_group_but_survey_links_and_the_list_unsubscribe_header()
    {
        var email = EmailKit.Compose(EmailKit.Action("complaint-survey", "service", journey: "post-complaint-survey"));

        Assert.Null(email.AsmGroupId);
        Assert.Equal(["post-complaint-survey", "complaint-survey"], email.Categories);
        Assert.True(email.Headers.ContainsKey("List-Unsubscribe"));
        var links = (Dictionary<string, object?>)email.TemplateData["links"]!;
        var survey = (string)links["score3"]!;
        Assert.StartsWith("https://links.example/api/r/survey/", survey, StringComparison.Ordinal);
        Assert.EndsWith("?score=3", survey, StringComparison.Ordinal);
        Assert.Equal(false, email.TemplateData["marketing"]);
    }

    [Fact]
    public void the_sendgrid_defaults_stand_in_for_a_store_without_a_sender()
    {
        var email = EmailKit.Compose(EmailKit.Action("complaint-thank-you", "service"), store: EmailKit.Store(s => (s.FromEmail, s.FromName, s.ReplyTo) = (null, null, null)),
            composer: EmailKit.Composer(sendGrid: new SendGridOptions { FromEmail = "noreply@platform.example", FromName = "Platform" }));

        Assert.Equal(new Mailbox("noreply@platform.example", "Platform"), email.From);
        Assert.Null(email.ReplyTo);
    }

    [Fact]
    public void a_dynamic_template_for_the_chosen_locale_is_named_with_the_same_data()
    {
        var sendGrid = new SendGridOptions { FromEmail = "x@demo.example" };
        sendGrid.DynamicTemplates["winback-20"] = new() { ["fr"] = "d-fr0000000000000000000000000000" };
        var composer = EmailKit.Composer(sendGrid: sendGrid);

        var french = EmailKit.Compose(EmailKit.Action("winback-20", coupon: EmailKit.Coupon()), EmailKit.Customer("fr-BE"), composer: composer);
        var english = EmailKit.Compose(EmailKit.Action("winback-20", coupon: EmailKit.Coupon()), EmailKit.Customer("en"), composer: composer);

        Assert.Equal("d-fr0000000000000000000000000000", french.DynamicTemplateId);
        Assert.Equal("WB-7KQ2", Coupon(french)["code"]);
        Assert.Null(english.DynamicTemplateId);
    }

    [Fact]
    public void categories_are_distinct_non_empty_cut_to_length_and_at_most_ten() =>
        Assert.Equal(["a", new string('x', 255), "b", "c", "d", "e", "f", "g", "h", "i"],
            EmailComposer.Categories("a", "a", "", null, new string('x', 300), "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"));

    public static TheoryData<string, string> Refusals => new()
    {
        { "unknown-template", "no template 'unknown-template' in templates/" },
        { "no-signing-key", "no link-signing key is configured" },
        { "no-address", "store 'demo' has no physical address" },
        { "no-email", "the customer has no email address any more" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void what_cannot_be_composed_is_refused_with_the_reason_alone_or_for_a_batch(string problem, string reason)
    {
        var sendGrid = new SendGridOptions { FromEmail = "default@demo.example" };
        sendGrid.DynamicTemplates["winback-20"] = new() { ["en"] = "d-en0000000000000000000000000000" };
        var composer = EmailKit.Composer(signing: problem != "no-signing-key", sendGrid: sendGrid);
        var action = EmailKit.Action(problem == "unknown-template" ? "unknown-template" : "winback-20", coupon: EmailKit.Coupon());
        var store = EmailKit.Store(s => s.PhysicalAddress = problem == "no-address" ? " " : s.PhysicalAddress);
        var customer = EmailKit.Customer() with { Email = problem == "no-email" ? null : "ana@example.com" };

        var composition = composer.Compose(EmailKit.StoreId, store, "id:42", "act-0123", action, customer, JourneyStates.Empty, EmailKit.Now);
        var forBatch = composer.ComposeForBatch(EmailKit.StoreId, store, "id:42", "act-0123", action, customer, JourneyStates.Empty, EmailKit.Now);

        Assert.Null(composition.Email);
        Assert.Contains(reason, composition.Failure, StringComparison.Ordinal);
        Assert.Equal(new BatchComposition(null, composition.Failure), forBatch);
    }

    [Fact]
    public void a_batch_recipient_carries_exactly_what_the_single_email_carries()
    {
        var sendGrid = new SendGridOptions { FromEmail = "default@demo.example", SandboxMode = true };
        sendGrid.DynamicTemplates["winback-20"] = new() { ["en"] = "d-en0000000000000000000000000000" };
        var composer = EmailKit.Composer(sendGrid: sendGrid);
        var action = EmailKit.Action("winback-20", coupon: EmailKit.Coupon());

        var single = EmailKit.Compose(action, composer: composer);
        var batch = composer.ComposeForBatch(EmailKit.StoreId, EmailKit.Store(), "id:42", "act-0123", action, EmailKit.Customer(), JourneyStates.Empty, EmailKit.Now).Email!;

        var recipient = Assert.Single(batch.Recipients);
        Assert.Equal(JsonSerializer.Serialize(single.TemplateData), JsonSerializer.Serialize(recipient.TemplateData));
        Assert.Equal(single.CustomArgs, recipient.CustomArgs);
        Assert.Equal(single.Headers, recipient.Headers);
        Assert.Equal((single.ActionKey, single.CustomerKey, single.To, (string?)null), (recipient.SendId, recipient.CustomerKey, recipient.Email, recipient.Name));
        Assert.Equal((single.StoreId, single.Template, single.Locale, single.Category, single.From, single.ReplyTo, single.AsmGroupId, single.DynamicTemplateId),
            (batch.StoreId, batch.Template, batch.Locale, batch.Category, batch.From, batch.ReplyTo, batch.AsmGroupId, batch.DynamicTemplateId));
        Assert.Equal(single.Categories, batch.Categories);
        Assert.True(batch.SandboxMode);
    }

    private static string Spaces(object? s) => ((string)s!).Replace('\u00A0', ' ').Replace('\u202F', ' ');

    private static Dictionary<string, object?> Coupon(ComposedEmail email) => (Dictionary<string, object?>)email.TemplateData["coupon"]!;
}
