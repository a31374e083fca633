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

/// <summary>A batch of one recipient, or why there can be none (as <see cref="Composition"/>, or a template that cannot be batched).</summary>
public sealed record BatchComposition(BatchEmail? Email, string? Failure);

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
        var (e, failure) = Prepare(storeId, store, customerKey, actionKey, action, profile, journeys, now);
        if (e is null) return Fail(failure!);
        RenderedEmail rendered;
        try
        {
            rendered = templates.Render(e.Template, e.Locale, e.Data);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or HandlebarsDotNet.HandlebarsException)
        {
            return Fail($"template {e.Template}/{e.Locale} cannot be rendered: {ex.Message}");
        }
        if (rendered.Subject.Length == 0) return Fail($"template {e.Template}/{e.Locale} renders an empty subject");
        return new Composition(new ComposedEmail(
            actionKey, storeId, customerKey, e.Template, e.Locale, e.Category, e.From, e.ReplyTo, e.To,
            rendered.Subject, rendered.Html, rendered.Text,
            e.Categories, e.Args, e.Headers, e.AsmGroupId, e.DynamicTemplateId, e.Data), null);
    }

    /// <summary>
    /// The same message as <see cref="Compose"/> (the same data, custom args, unsubscribe headers, sender and group)
    /// as a batch of one recipient, for <see cref="BatchEmail.Merge"/> to put together with others. Nothing is rendered
    /// here: only a SendGrid dynamic template can be batched, and SendGrid renders it; without one this fails.
    /// </summary>
    public BatchComposition ComposeForBatch(string storeId, StoreOptions store, string customerKey, string actionKey, JourneyAction action, CustomerProfile profile, JourneyStates journeys, DateTimeOffset now)
    {
        var (e, failure) = Prepare(storeId, store, customerKey, actionKey, action, profile, journeys, now);
        if (e is null) return new BatchComposition(null, failure);
        if (e.DynamicTemplateId is null) return new BatchComposition(null, BatchEmail.NotBatchable(e.Template, e.Locale));
        // No display name: a single email goes to the bare address too.
        var recipient = new BatchRecipient(actionKey, customerKey, e.To, Name: null, e.Data, e.Args, e.Headers);
        return new BatchComposition(new BatchEmail(
            storeId, e.Template, e.Locale, e.Category, e.From, e.ReplyTo, e.Categories, e.AsmGroupId, e.DynamicTemplateId,
            sendGrid.Value.SandboxMode, [recipient]), null);
    }

    /// <summary>Everything a message carries but its rendered content, or why there can be none.</summary>
    private (Envelope?, string?) Prepare(string storeId, StoreOptions store, string customerKey, string actionKey, JourneyAction action, CustomerProfile profile, JourneyStates journeys, DateTimeOffset now)
    {
        var template = action.Template ?? "";
        if (!templates.Exists(template)) return (null, $"no template '{template}' in templates/");
        if (profile.Email is not { Length: > 0 } to) return (null, "the customer has no email address any more");
        var category = action.Category ?? StepTypes.Marketing;
        var marketing = category == StepTypes.Marketing;
        if (marketing && string.IsNullOrWhiteSpace(store.PhysicalAddress))
            return (null, $"store '{storeId}' has no physical address (Automation__Stores__{storeId}__PhysicalAddress); marketing email must carry one");
        if (!links.CanSign) return (null, "no link-signing key is configured (Automation__Links__SigningKeys__0__Id and __Secret), so no unsubscribe link can be made");

        var available = templates.Locales(template);
        if (available.Count == 0) return (null, $"templates/{template} has no locale file");
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
        var argBytes = CustomArgsBytes(args);
        if (argBytes > MaxCustomArgsBytes) return (null, $"custom args would take {argBytes} bytes; SendGrid allows {MaxCustomArgsBytes}");

        var settings = sendGrid.Value;
        return (new Envelope(
            template, locale, category,
            From: new Mailbox(Blank(store.FromEmail) ?? settings.FromEmail, Blank(store.FromName) ?? Blank(settings.FromName) ?? Blank(store.Name)),
            ReplyTo: Blank(store.ReplyTo) is { } reply ? new Mailbox(reply) : null,
            To: to,
            Categories(action.JourneyId, template),
            args,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["List-Unsubscribe"] = $"<{unsubscribe}>",
                ["List-Unsubscribe-Post"] = OneClick,
            },
            AsmGroupId: marketing ? store.UnsubscribeGroupId : null,
            DynamicTemplateId: settings.DynamicTemplateFor(template, locale),
            Data: data), null);
    }

    /// <summary>The size SendGrid counts against <see cref="MaxCustomArgsBytes"/>: names and values in UTF-8.</summary>
    internal static int CustomArgsBytes(IEnumerable<KeyValuePair<string, string>> args) =>
        args.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value));

    /// <summary>SendGrid refuses empty, duplicate, over-long or more than ten categories.</summary>
    internal static IReadOnlyList<string> Categories(params string?[] names) =>
        [.. names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Length > MaxCategoryLength ? n[..MaxCategoryLength] : n)
            .Distinct(StringComparer.Ordinal).Take(MaxCategories)];

    private static Composition Fail(string reason) => new(null, reason);

    private sealed record Envelope(
        string Template, string Locale, string Category, Mailbox From, Mailbox? ReplyTo, string To, IReadOnlyList<string> Categories,
        IReadOnlyDictionary<string, string> Args, IReadOnlyDictionary<string, string> Headers, int? AsmGroupId, string? DynamicTemplateId,
        IReadOnlyDictionary<string, object?> Data);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
