using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Core.Journeys.Definitions;

namespace Automation.Core.Tests.Journeys.Scenarios;

/// <summary>
/// What the shipped journeys name exists: a <c>templates/{id}.json</c> for every template, and
/// every coupon pool and webhook in <c>journeys/catalog.json</c>; and the templates are well
/// formed, with an unsubscribe link wherever the message is marketing.
/// </summary>
public sealed partial class ShippedFilesTests
{
    /// <summary>The values the email renderer fills in; a placeholder outside these is a typo.</summary>
    private static readonly HashSet<string> KnownValues = new(StringComparer.Ordinal)
    {
        "customer.firstName", "customer.lastName", "store.name", "coupon", "coupon.code", "coupon.percentOff", "coupon.expiresAt",
        "links.unsubscribe", "links.survey", "links.score1", "links.score2", "links.score3", "links.score4", "links.score5",
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

    [Fact]
    public void the_journeys_the_scenarios_cover_are_found() =>
        Assert.Subset(ShippedJourneys.Ids.ToHashSet(), new HashSet<string> { ShippedJourneys.Dormancy, ShippedJourneys.FirstOrder, ShippedJourneys.Survey });

    [Fact]
    public void every_template_a_shipped_journey_names_has_a_file()
    {
        var missing = EmailUses().Where(u => !File.Exists(TemplatePath(u.Template))).Select(u => $"{u.Journey}/{u.Step}: templates/{u.Template}.json");
        Assert.Empty(missing);
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
    [MemberData(nameof(TemplateNames))]
    public void template_is_a_version_1_document_with_subject_html_and_text(string template)
    {
        var doc = Read(template);
        Assert.Equal(1, doc.GetProperty("schemaVersion").GetInt32());
        foreach (var part in new[] { "subject", "html", "text" })
            Assert.False(string.IsNullOrWhiteSpace(doc.GetProperty(part).GetString()), $"{template}: {part} is empty");
    }

    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void template_uses_only_known_values_in_balanced_blocks(string template)
    {
        foreach (var (part, text) in Parts(template))
        {
            var open = new Stack<string>();
            foreach (Match m in Placeholder().Matches(text))
            {
                var (sigil, word, argument) = (m.Groups["sigil"].Value, m.Groups["word"].Value, m.Groups["arg"].Value.Trim());
                switch (sigil)
                {
                    case "#":
                        Assert.True(word is "if" or "each", $"{template}.{part}: unknown block {m.Value}");
                        Assert.Contains(argument, KnownValues);
                        open.Push(word);
                        break;
                    case "/":
                        Assert.True(open.TryPop(out var expected) && expected == word, $"{template}.{part}: {m.Value} closes nothing open");
                        break;
                    default:
                        if (word != "else") Assert.Contains(word, KnownValues);
                        break;
                }
            }
            Assert.True(open.Count == 0, $"{template}.{part}: {{{{#{string.Join(", #", open)}}}}} is never closed");
        }
    }

    [Fact]
    public void every_marketing_template_has_an_unsubscribe_link_in_html_and_text()
    {
        var missing = EmailUses().Where(u => u.Category == StepTypes.Marketing).Select(u => u.Template).Distinct()
            .SelectMany(t => Parts(t).Where(p => p.Part != "subject" && !p.Text.Contains("{{links.unsubscribe}}", StringComparison.Ordinal)).Select(p => $"{t}.{p.Part}"));
        Assert.Empty(missing);
    }

    [Fact]
    public void a_template_sent_with_a_coupon_shows_its_code_and_one_also_sent_without_guards_it()
    {
        foreach (var uses in EmailUses().GroupBy(u => u.Template))
        {
            var html = Read(uses.Key).GetProperty("html").GetString()!;
            if (uses.Any(u => u.WithCoupon)) Assert.Contains("{{coupon.code}}", html, StringComparison.Ordinal);
            if (uses.Any(u => !u.WithCoupon) && html.Contains("{{coupon.", StringComparison.Ordinal))
                Assert.Contains("{{#if coupon}}", html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("complaint-survey")]
    [InlineData("complaint-survey-reminder")]
    public void survey_offers_every_score_from_1_to_5(string template)
    {
        foreach (var (part, text) in Parts(template).Where(p => p.Part != "subject"))
            for (var score = 1; score <= 5; score++)
                Assert.True(text.Contains($"{{{{links.score{score}}}}}", StringComparison.Ordinal), $"{template}.{part} has no link for score {score}");
    }

    private static string TemplatePath(string template) => Path.Combine(ShippedJourneys.TemplatesDirectory, template + ".json");

    private static JsonElement Read(string template)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TemplatePath(template)));
        return doc.RootElement.Clone();
    }

    private static IEnumerable<(string Part, string Text)> Parts(string template)
    {
        var doc = Read(template);
        return new[] { "subject", "html", "text" }.Select(p => (p, doc.GetProperty(p).GetString() ?? ""));
    }

    [GeneratedRegex(@"\{\{\s*(?<sigil>[#/]?)(?<word>[A-Za-z0-9_.]+)(?<arg>[^}]*)\}\}")]
    private static partial Regex Placeholder();
}
