using Automation.Core.Journeys.Engine;
using Automation.Functions.Email;
using Automation.Functions.Journeys;

namespace Automation.Functions.Tests.Email;

/// <summary>Every shipped template in every shipped locale, composed the way it is sent, with full and with minimal data.</summary>
public sealed class TemplateRenderingTests
{
    public static readonly string[] Locales = ["en", "es", "fr", "pt-BR", "ru"];

    public static TheoryData<string, string> Shipped
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var template in EmailTemplates.NamesIn(JourneyFiles.TemplatesDirectory).Order(StringComparer.Ordinal))
                foreach (var locale in Locales) data.Add(template, locale);
            return data;
        }
    }

    private static string Category(string template) => template.StartsWith("complaint-", StringComparison.Ordinal) ? "service" : "marketing";

    private static bool AlwaysHasCoupon(string template) => template.StartsWith("winback", StringComparison.Ordinal);

    private static void AssertComplete(ComposedEmail email, string template, string locale)
    {
        Assert.Equal(locale, email.Locale);
        foreach (var (part, text) in new[] { ("subject", email.Subject), ("html", email.Html), ("text", email.Text) })
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"{template}/{locale}: empty {part}");
            Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
            Assert.DoesNotContain("}}", text, StringComparison.Ordinal);
        }
        var unsubscribe = email.Headers["List-Unsubscribe"].Trim('<', '>');
        Assert.StartsWith("https://links.example/api/r/unsubscribe/", unsubscribe, StringComparison.Ordinal);
        Assert.Contains($"href=\"{unsubscribe}\"", email.Html, StringComparison.Ordinal);
        Assert.Contains(unsubscribe, email.Text, StringComparison.Ordinal);
        Assert.Contains(EmailKit.Address, email.Html, StringComparison.Ordinal);
        Assert.Contains(EmailKit.Address, email.Text, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{locale}\">", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<", email.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void renders_with_full_data(string template, string locale)
    {
        var coupon = EmailKit.Coupon(minimum: 50m);
        var email = EmailKit.Compose(EmailKit.Action(template, Category(template), coupon), EmailKit.Customer(locale));

        AssertComplete(email, template, locale);
        Assert.Contains("Ana", email.Html, StringComparison.Ordinal);
        Assert.Contains("Demo &amp; Co", email.Html, StringComparison.Ordinal); // escaped in HTML
        Assert.DoesNotContain("&amp;", email.Subject + email.Text, StringComparison.Ordinal); // not in plain text
        if (template is "first-order-thank-you" or "winback-20" or "winback-30" or "pre-holiday")
        {
            Assert.Contains("WB-7KQ2", email.Html, StringComparison.Ordinal);
            Assert.Contains("WB-7KQ2", email.Text, StringComparison.Ordinal);
            Assert.Contains(email.TemplateData["coupon"] is Dictionary<string, object?> c ? (string)c["expires"]! : "?", email.Text, StringComparison.Ordinal);
        }
        if (Category(template) == "service" && template != "complaint-thank-you")
            for (var score = 1; score <= 5; score++)
                Assert.Contains($"?score={score})", email.Text, StringComparison.Ordinal); // in HTML the = is escaped (&#x3D;), as SendGrid's Handlebars does
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void renders_with_minimal_data(string template, string locale)
    {
        var store = EmailKit.Store(s => (s.Url, s.Name, s.FromName, s.ReplyTo) = (null, null, null, null));
        var action = EmailKit.Action(template, Category(template), AlwaysHasCoupon(template) ? EmailKit.Coupon() : null);

        var email = EmailKit.Compose(action, EmailKit.Customer(locale, firstName: null), store);

        AssertComplete(email, template, locale);
        Assert.DoesNotContain("Ana", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(", !", email.Subject, StringComparison.Ordinal);
        if (!AlwaysHasCoupon(template)) Assert.DoesNotContain("WB-7KQ2", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void the_subject_is_in_the_customers_language_and_not_html_escaped()
    {
        var email = EmailKit.Compose(EmailKit.Action("winback-20", coupon: EmailKit.Coupon()), EmailKit.Customer("fr-FR", firstName: "Zoé & Max"));

        Assert.Equal("fr", email.Locale);
        Assert.Equal("Vous nous manquez, Zoé & Max : une réduction de 20 % vous attend", email.Subject.Replace('\u00A0', ' ').Replace('\u202F', ' '));
        Assert.Contains("Zoé &amp; Max", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void markup_in_a_customers_name_is_escaped_in_html()
    {
        var email = EmailKit.Compose(EmailKit.Action("complaint-thank-you", "service"), EmailKit.Customer(firstName: "<script>x</script>"));

        Assert.DoesNotContain("<script>", email.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void a_plain_text_template_beside_the_html_one_is_used_for_the_text_part()
    {
        var dir = Directory.CreateTempSubdirectory("templates-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "hello"));
            File.WriteAllText(Path.Combine(dir.FullName, "hello", "en.hbs"), "---\nsubject: Hello {{customer.firstName}}\n---\n<p>Hello <a href=\"{{links.unsubscribe}}\">there</a></p>\n");
            File.WriteAllText(Path.Combine(dir.FullName, "hello", "en.txt.hbs"), "Plain hello to {{customer.firstName}} & co");
            var composer = EmailKit.Composer(new EmailTemplates(dir.FullName));

            var email = EmailKit.Compose(EmailKit.Action("hello", "service"), composer: composer);

            Assert.Equal("Hello Ana", email.Subject);
            Assert.Equal("Plain hello to Ana & co", email.Text);
            Assert.Equal("<p>Hello <a href=\"" + email.Headers["List-Unsubscribe"].Trim('<', '>') + "\">there</a></p>\n", email.Html); // no layout in that directory
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("<p>No front matter</p>", "templates/broken/en.hbs must start with a front-matter block")]
    [InlineData("---\nsubject: Hi\n<p>never closed</p>", "the front-matter block is not closed")]
    [InlineData("---\ntitle: Hi\n---\n<p>x</p>", "templates/broken/en.hbs has no subject")]
    [InlineData("---\nsubject: Hi\n---\n<p>{{#if customer.firstName}}open</p>", "template broken/en cannot be rendered")]
    public void a_malformed_template_is_a_permanent_failure_naming_the_file(string content, string reason)
    {
        var dir = Directory.CreateTempSubdirectory("templates-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "broken"));
            File.WriteAllText(Path.Combine(dir.FullName, "broken", "en.hbs"), content);

            var composition = EmailKit.Composer(new EmailTemplates(dir.FullName)).Compose(EmailKit.StoreId, EmailKit.Store(), "id:42", "act-0123",
                EmailKit.Action("broken", "service"), EmailKit.Customer(), Automation.Core.Journeys.Engine.JourneyStates.Empty, EmailKit.Now);

            Assert.Null(composition.Email);
            Assert.Contains(reason, composition.Failure, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void html_becomes_text_with_links_kept_and_paragraphs_apart()
    {
        var text = HtmlText.From("<html><head><title>x</title><style>p{}</style></head><body><p>Hi  <b>Ana</b>,</p>\n<p>Use <a href=\"https://shop.example/?a=1&amp;b=2\">the shop</a> or <a href='https://x.example'>https://x.example</a>.<br>Bye&nbsp;now</p><ul><li>one</li><li>two</li></ul></body></html>");

        Assert.Equal("Hi Ana,\n\nUse the shop (https://shop.example/?a=1&b=2) or https://x.example.\nBye now\n\n- one\n- two", text);
    }
}
