using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Core.Journeys.Definitions;

namespace Automation.Core.Tests.Journeys.Scenarios;

/// <summary>
/// What the shipped journeys name exists: a <c>templates/{id}/</c> in every shipped locale for every template,
/// and every coupon pool and webhook in <c>journeys/catalog.json</c>; and the templates are well formed:
/// front matter with a subject, only known values, balanced blocks. Rendering them is tested in the
/// Functions tests (Email/TemplateRenderingTests), where the renderer lives.
/// </summary>
public sealed partial class ShippedFilesTests
{
    /// <summary>The locales every shipped template is written in.</summary>
    public static readonly string[] ShippedLocales = ["en", "es", "fr", "pt-BR", "ru"];

    /// <summary>The values the email composer fills in; a placeholder outside these is a typo.</summary>
    private static readonly HashSet<string> KnownValues = new(StringComparer.Ordinal)
    {
        "customer.firstName", "customer.lastName", "customer.name", "store.name", "store.url", "store.address",
        "coupon", "coupon.code", "coupon.value", "coupon.percentOff", "coupon.amountOff", "coupon.currency", "coupon.minimumOrder",
        "coupon.expires", "coupon.expiresAt", "order", "order.id", "order.total", "marketing", "body",
        "links.unsubscribe", "links.store", "links.score1", "links.score2", "links.score3", "links.score4", "links.score5",
        "occasion", "occasion.id", "occasion.name", "occasion.date", "picks", "personalised",
    };

    /// <summary>The values of one item of a list, known inside its <c>{{#each}}</c> only.</summary>
    private static readonly Dictionary<string, HashSet<string>> ItemValues = new(StringComparer.Ordinal)
    {
        ["picks"] = new(StringComparer.Ordinal) { "title", "url", "imageUrl", "category" },
    };

    private sealed record EmailUse(string Journey, string Step, string Template, string Category, bool WithCoupon);

    private static IEnumerable<(string Journey, JourneyStep Step)> Steps() =>
        ShippedJourneys.Ids.SelectMany(id => ShippedJourneys.Load(id).Steps.Select(s => (id, s)));

    private static List<EmailUse> EmailUses() =>
    [
        .. Steps().Where(x => x.Step.Type == StepTypes.SendEmail)
            .Select(x => new EmailUse(x.Journey, x.Step.Id, x.Step.Template!, x.Step.Category ?? StepTypes.Marketing, x.Step.Coupon is not null)),
    ];

    public static TheoryData<string> TemplateNames => new(EmailUses().Select(u => u.Template).Distinct().Order(StringComparer.Ordinal));

    /// <summary>Every shipped template file and the layouts.</summary>
    public static TheoryData<string, string> TemplateFiles
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var dir in Directory.EnumerateDirectories(ShippedJourneys.TemplatesDirectory).Order(StringComparer.Ordinal))
                foreach (var locale in ShippedLocales) data.Add(Path.GetFileName(dir), locale);
            return data;
        }
    }

    [Fact]
    public void the_journeys_the_scenarios_cover_are_found() =>
        Assert.Subset(ShippedJourneys.Ids.ToHashSet(), new HashSet<string> { ShippedJourneys.Dormancy, ShippedJourneys.FirstOrder, ShippedJourneys.Survey });

    [Fact]
    public void every_template_a_shipped_journey_names_has_a_file_in_every_shipped_locale()
    {
        var missing = EmailUses().SelectMany(u => ShippedLocales.Where(l => !File.Exists(TemplatePath(u.Template, l))).Select(l => $"{u.Journey}/{u.Step}: templates/{u.Template}/{l}.hbs"));
        Assert.Empty(missing);
    }

    [Fact]
    public void the_layout_exists_in_every_shipped_locale_and_carries_the_footer()
    {
        foreach (var locale in ShippedLocales)
        {
            var layout = File.ReadAllText(TemplatePath("_layout", locale));
            foreach (var needed in new[] { "{{{body}}}", "{{links.unsubscribe}}", "{{store.address}}", "{{store.name}}" })
                Assert.True(layout.Contains(needed, StringComparison.Ordinal), $"_layout/{locale}.hbs lacks {needed}");
        }
    }

    [Fact]
    public void every_coupon_pool_a_shipped_journey_names_is_in_the_catalog()
    {
        var pools = ShippedJourneys.CatalogDocument.CouponPools;
        var missing = Steps().Where(x => x.Step.Type == StepTypes.IssueCoupon && !pools.ContainsKey(x.Step.Pool ?? ""))
            .Select(x => $"{x.Journey}/{x.Step.Id}: pool {x.Step.Pool}");
        Assert.Empty(missing);
    }

    [Fact]
    public void every_webhook_a_shipped_journey_names_is_in_the_catalog()
    {
        var webhooks = ShippedJourneys.CatalogDocument.Webhooks;
        var missing = Steps().Where(x => x.Step.Type == StepTypes.Notify && !webhooks.ContainsKey(x.Step.Webhook ?? ""))
            .Select(x => $"{x.Journey}/{x.Step.Id}: webhook {x.Step.Webhook}");
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(TemplateFiles))]
    public void template_has_a_subject_in_front_matter_and_a_body(string template, string locale)
    {
        var (subject, body) = Read(template, locale);
        if (template != "_layout") Assert.False(string.IsNullOrWhiteSpace(subject), $"{template}/{locale}: no subject");
        Assert.False(string.IsNullOrWhiteSpace(body), $"{template}/{locale}: the body is empty");
    }

    [Theory]
    [MemberData(nameof(TemplateFiles))]
    public void template_uses_only_known_values_in_balanced_blocks(string template, string locale)
    {
        foreach (var (part, text) in Parts(template, locale))
        {
            var open = new Stack<(string Block, HashSet<string>? Item)>();
            bool Known(string value) => KnownValues.Contains(value) || open.Any(o => o.Item?.Contains(value) == true);
            foreach (Match m in Placeholder().Matches(text))
            {
                var (sigil, word, argument) = (m.Groups["sigil"].Value, m.Groups["word"].Value, m.Groups["arg"].Value.Trim());
                switch (sigil)
                {
                    case "#":
                        Assert.True(word is "if" or "unless" or "each", $"{template}/{locale}.{part}: unknown block {m.Value}");
                        Assert.True(Known(argument), $"{template}/{locale}.{part}: {m.Value} names no known value");
                        Assert.True(word != "each" || ItemValues.ContainsKey(argument), $"{template}/{locale}.{part}: {m.Value} is not a list");
                        open.Push((word, word == "each" ? ItemValues[argument] : null));
                        break;
                    case "/":
                        Assert.True(open.TryPop(out var expected) && expected.Block == word, $"{template}/{locale}.{part}: {m.Value} closes nothing open");
                        break;
                    default:
                        if (word != "else") Assert.True(Known(word), $"{template}/{locale}.{part}: {m.Value} names no known value");
                        break;
                }
            }
            Assert.True(open.Count == 0, $"{template}/{locale}.{part}: {{{{#{string.Join(", #", open.Select(o => o.Block))}}}}} is never closed");
        }
    }

    [Fact]
    public void a_template_sent_with_a_coupon_shows_its_code_and_one_also_sent_without_guards_it()
    {
        foreach (var uses in EmailUses().GroupBy(u => u.Template))
            foreach (var locale in ShippedLocales)
            {
                var (subject, body) = Read(uses.Key, locale);
                if (uses.Any(u => u.WithCoupon)) Assert.Contains("{{coupon.code}}", body, StringComparison.Ordinal);
                if (uses.Any(u => !u.WithCoupon) && (body + subject).Contains("{{coupon.", StringComparison.Ordinal))
                    Assert.Contains("{{#if coupon}}", body, StringComparison.Ordinal);
            }
    }

    [Theory]
    [InlineData("complaint-survey")]
    [InlineData("complaint-survey-reminder")]
    public void survey_offers_every_score_from_1_to_5(string template)
    {
        foreach (var locale in ShippedLocales)
            for (var score = 1; score <= 5; score++)
                Assert.True(Read(template, locale).Body.Contains($"{{{{links.score{score}}}}}", StringComparison.Ordinal), $"{template}/{locale} has no link for score {score}");
    }

    private static string TemplatePath(string template, string locale) => Path.Combine(ShippedJourneys.TemplatesDirectory, template, locale + ".hbs");

    /// <summary>The front matter's subject and the body after it.</summary>
    private static (string? Subject, string Body) Read(string template, string locale)
    {
        var text = File.ReadAllText(TemplatePath(template, locale)).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!text.StartsWith("---\n", StringComparison.Ordinal)) return (null, text);
        var end = text.IndexOf("\n---\n", 3, StringComparison.Ordinal);
        Assert.True(end > 0, $"{template}/{locale}: front matter not closed");
        var subject = text[4..end].Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("subject:", StringComparison.Ordinal))?["subject:".Length..].Trim();
        return (subject, text[(end + 5)..]);
    }

    private static IEnumerable<(string Part, string Text)> Parts(string template, string locale)
    {
        var (subject, body) = Read(template, locale);
        return [("subject", subject ?? ""), ("body", body)];
    }

    [GeneratedRegex(@"\{\{\{?\s*(?<sigil>[#/]?)(?<word>[A-Za-z0-9_.]+)(?<arg>[^}]*)\}?\}\}")]
    private static partial Regex Placeholder();
}
