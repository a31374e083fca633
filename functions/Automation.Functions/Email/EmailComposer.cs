using System.Globalization;
using System.Text;
using Automation.Core.Journeys.Calendar;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Core.Profiles;
using Automation.Functions.Hosting;
using Automation.Functions.Recipients;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Email;

/// <summary>A composed email, or why none could be composed (a permanent failure: retrying changes nothing).</summary>
public sealed record Composition(ComposedEmail? Email, string? Failure);

/// <summary>
/// Turns a <c>sendEmail</c> action and the customer's current profile into the message the provider gets:
/// the template in the recipient's locale, the store as sender, the signed unsubscribe link (in the footer and
/// as one-click <c>List-Unsubscribe</c>), the store's unsubscribe group, and the categories and custom args
/// that let SendGrid's events find their way back to this send.
/// </summary>
public sealed class EmailComposer(EmailTemplates templates, LinkTokens links, IOptions<SendGridOptions> sendGrid)
{
    public const int MaxCategories = 10;
    public const int MaxCategoryLength = 255;
    public const int MaxCustomArgsBytes = 10_000;
    public const string OneClick = "List-Unsubscribe=One-Click";

    public Composition Compose(string storeId, StoreOptions store, string customerKey, string actionKey, JourneyAction action, CustomerProfile profile, JourneyStates journeys, DateTimeOffset now)
    {
        var template = action.Template ?? "";
        if (!templates.Exists(template)) return Fail($"no template '{template}' in templates/");
        if (profile.Email is not { Length: > 0 } to) return Fail("the customer has no email address any more");
        var category = action.Category ?? StepTypes.Marketing;
        var marketing = category == StepTypes.Marketing;
        if (marketing && string.IsNullOrWhiteSpace(store.PhysicalAddress))
            return Fail($"store '{storeId}' has no physical address (Automation__Stores__{storeId}__PhysicalAddress); marketing email must carry one");
        if (!links.CanSign) return Fail("no link-signing key is configured (Automation__Links__SigningKeys__0__Id and __Secret), so no unsubscribe link can be made");

        var available = templates.Locales(template);
        if (available.Count == 0) return Fail($"templates/{template} has no locale file");
        var locale = EmailLocales.Choose(available, profile.Locale, store.Locale);
        var culture = EmailFormat.Culture(profile.Locale, locale);
        var zone = LocalTime.Zone(profile.TimeZone ?? store.TimeZone);

        var unsubscribe = links.UnsubscribeUrl(links.Create(new LinkToken(LinkPurposes.Unsubscribe, storeId, customerKey, action.JourneyId, actionKey, now + links.UnsubscribeLifetime)));
        IReadOnlyList<string>? scores = null;
        if (!marketing)
        {
            var survey = links.Create(new LinkToken(LinkPurposes.Survey, storeId, customerKey, action.JourneyId, actionKey, now + links.SurveyLifetime));
            scores = [.. Enumerable.Range(1, 5).Select(score => links.SurveyUrl(survey, score))];
        }
        var instance = journeys.Instances.GetValueOrDefault(action.JourneyId);
        var data = EmailData.Build(storeId, store, profile, action, instance, new EmailData.Links(unsubscribe, scores), culture, zone);

        RenderedEmail rendered;
        try
        {
            rendered = templates.Render(template, locale, data);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or HandlebarsDotNet.HandlebarsException)
        {
            return Fail($"template {template}/{locale} cannot be rendered: {ex.Message}");
        }
        if (rendered.Subject.Length == 0) return Fail($"template {template}/{locale} renders an empty subject");

        var args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Persisted names: SendGrid's events carry these back as top-level keys.
            ["send_id"] = actionKey,
            ["store"] = storeId,
            ["customer"] = customerKey,
            ["journey"] = action.JourneyId,
            ["step"] = action.StepId,
            ["run"] = action.Run.ToString(CultureInfo.InvariantCulture),
            ["template"] = template,
        };
        var argBytes = args.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value));
        if (argBytes > MaxCustomArgsBytes) return Fail($"custom args would take {argBytes} bytes; SendGrid allows {MaxCustomArgsBytes}");

        var settings = sendGrid.Value;
        var dynamicId = settings.DynamicTemplates.GetValueOrDefault(template)?.GetValueOrDefault(locale);
        return new Composition(new ComposedEmail(
            actionKey, storeId, customerKey, template, locale, category,
            From: new Mailbox(Blank(store.FromEmail) ?? settings.FromEmail, Blank(store.FromName) ?? Blank(settings.FromName) ?? Blank(store.Name)),
            ReplyTo: Blank(store.ReplyTo) is { } reply ? new Mailbox(reply) : null,
            To: to,
            rendered.Subject, rendered.Html, rendered.Text,
            Categories(action.JourneyId, template),
            args,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["List-Unsubscribe"] = $"<{unsubscribe}>",
                ["List-Unsubscribe-Post"] = OneClick,
            },
            AsmGroupId: marketing ? store.UnsubscribeGroupId : null,
            DynamicTemplateId: Blank(dynamicId),
            TemplateData: data), null);
    }

    /// <summary>SendGrid refuses empty, duplicate, over-long or more than ten categories.</summary>
    internal static IReadOnlyList<string> Categories(params string?[] names) =>
        [.. names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Length > MaxCategoryLength ? n[..MaxCategoryLength] : n)
            .Distinct(StringComparer.Ordinal).Take(MaxCategories)];

    private static Composition Fail(string reason) => new(null, reason);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
