using System.Collections.Frozen;
using Automation.Core.Customers;
using Automation.Functions.Email;
using Automation.Functions.Hosting;
using Automation.Functions.Storage;
using Microsoft.Net.Http.Headers;

namespace Automation.Functions.Recipients;

/// <summary>
/// Every sentence the recipient pages show, in the languages the emails are written in. Placeholders
/// (<c>{store}</c>, <c>{journey}</c>, <c>{score}</c>) are filled by <see cref="Html"/> (sentence and values
/// HTML-encoded) or <see cref="Text"/> (plain text, for the title, which the page encodes).
/// </summary>
public sealed partial record RecipientText(
    string Locale,
    string InvalidTitle, string InvalidBody,
    string TryAgainTitle, string TryAgainBody,
    string BadRequestTitle, string TooLargeTitle, string TooLargeBody, string NotAForm, string FormUnreadable,
    string UnsubscribeTitle, string UnsubscribeHeading, string UnsubscribeQuestion, string AllEmail, string OnlyJourney, string UnsubscribeButton,
    string ChooseScope, string UnsubscribedTitle, string UnsubscribedHeading, string NoMoreAll, string NoMoreJourney,
    string SurveyTitle, string SurveyHeading, string SurveyQuestion, string SurveyButton, string BadScore,
    string ThanksTitle, string ThanksHeading, string ThanksBody)
{
    public static readonly RecipientText English = new("en",
        "Link not valid", "This link is invalid or has expired.",
        "Please try again", "We could not save your choice just now. Please try again in a few minutes.",
        "Something is missing", "Too large", "The form is larger than this page accepts.",
        "The request must be a form (application/x-www-form-urlencoded or multipart/form-data).", "The form could not be read.",
        "Unsubscribe from {store}", "Unsubscribe", "Which emails from {store} do you no longer want?", "All email from {store}",
        "Only “{journey}” emails", "Unsubscribe",
        "Choose which emails to unsubscribe from: all, or only this kind.", "Unsubscribed", "You are unsubscribed",
        "You will get no more marketing email from {store}.", "You will get no more “{journey}” emails from {store}.",
        "How did {store} do?", "How did we do?",
        "How satisfied are you with how {store} handled your request? 1 is very unsatisfied, 5 very satisfied.", "Send my answer",
        "The score must be a whole number from 1 to 5.",
        "Thank you", "Thank you",
        "Your answer ({score} of 5) has reached {store}. If you change your mind, open the same link again and send another answer.");

    public static readonly RecipientText Spanish = new("es",
        "Enlace no válido", "Este enlace no es válido o ha caducado.",
        "Vuelve a intentarlo", "No hemos podido guardar tu elección en este momento. Vuelve a intentarlo dentro de unos minutos.",
        "Falta algo", "Formulario demasiado grande", "El formulario es más grande de lo que admite esta página.",
        "La solicitud debe ser un formulario (application/x-www-form-urlencoded o multipart/form-data).", "No se ha podido leer el formulario.",
        "Darse de baja de {store}", "Darse de baja", "¿Qué correos de {store} ya no quieres recibir?", "Todos los correos de {store}",
        "Solo los correos «{journey}»", "Darme de baja",
        "Elige de qué correos quieres darte de baja: de todos o solo de este tipo.", "Baja confirmada", "Te has dado de baja",
        "Ya no recibirás más correos de marketing de {store}.", "Ya no recibirás más correos «{journey}» de {store}.",
        "¿Qué tal lo hizo {store}?", "¿Qué tal lo hicimos?",
        "¿Cómo valorarías la forma en que {store} gestionó tu solicitud? 1 es muy insatisfecho y 5, muy satisfecho.", "Enviar mi respuesta",
        "La puntuación debe ser un número entero del 1 al 5.",
        "Gracias", "Gracias",
        "Tu respuesta ({score} de 5) ha llegado a {store}. Si cambias de opinión, vuelve a abrir el mismo enlace y envía otra respuesta.");

    public static readonly RecipientText Portuguese = new("pt-BR",
        "Link inválido", "Este link é inválido ou expirou.",
        "Tente novamente", "Não conseguimos salvar sua escolha agora. Tente novamente em alguns minutos.",
        "Algo está faltando", "Formulário grande demais", "O formulário é maior do que esta página aceita.",
        "A solicitação deve ser um formulário (application/x-www-form-urlencoded ou multipart/form-data).", "Não foi possível ler o formulário.",
        "Cancelar inscrição em {store}", "Cancelar inscrição", "Quais e-mails de {store} você não quer mais receber?", "Todos os e-mails de {store}",
        "Apenas os e-mails “{journey}”", "Cancelar inscrição",
        "Escolha de quais e-mails você quer cancelar a inscrição: todos ou apenas deste tipo.", "Inscrição cancelada", "Sua inscrição foi cancelada",
        "Você não receberá mais e-mails de marketing de {store}.", "Você não receberá mais e-mails “{journey}” de {store}.",
        "Como foi o atendimento de {store}?", "Como nos saímos?",
        "Qual é o seu nível de satisfação com a forma como {store} tratou a sua solicitação? 1 é muito insatisfeito e 5, muito satisfeito.", "Enviar minha resposta",
        "A nota deve ser um número inteiro de 1 a 5.",
        "Obrigado", "Obrigado",
        "Sua resposta ({score} de 5) foi enviada para {store}. Se mudar de ideia, abra o mesmo link novamente e envie outra resposta.");

    public static readonly RecipientText Russian = new("ru",
        "Ссылка недействительна", "Эта ссылка недействительна или срок её действия истёк.",
        "Попробуйте ещё раз", "Сейчас не удалось сохранить ваш выбор. Попробуйте ещё раз через несколько минут.",
        "Чего-то не хватает", "Слишком большая форма", "Форма больше, чем может принять эта страница.",
        "Запрос должен быть формой (application/x-www-form-urlencoded или multipart/form-data).", "Не удалось прочитать форму.",
        "Отписка от рассылки {store}", "Отписка от рассылки", "Какие письма от {store} вы больше не хотите получать?", "Все письма от {store}",
        "Только письма «{journey}»", "Отписаться",
        "Выберите, от каких писем отписаться: от всех или только от писем этого типа.", "Вы отписались", "Вы отписались",
        "Вы больше не будете получать маркетинговые письма от {store}.", "Вы больше не будете получать письма «{journey}» от {store}.",
        "Оцените работу {store}", "Как мы справились?",
        "Насколько вы довольны тем, как было обработано ваше обращение в {store}? 1 — совсем недовольны, 5 — очень довольны.", "Отправить ответ",
        "Оценка должна быть целым числом от 1 до 5.",
        "Спасибо", "Спасибо",
        "Ваш ответ ({score} из 5) отправлен в {store}. Если передумаете, откройте эту же ссылку ещё раз и отправьте другой ответ.");

    public static readonly RecipientText French = new("fr",
        "Lien non valide", "Ce lien n’est pas valide ou a expiré.",
        "Veuillez réessayer", "Nous n’avons pas pu enregistrer votre choix pour le moment. Veuillez réessayer dans quelques minutes.",
        "Il manque quelque chose", "Formulaire trop volumineux", "Le formulaire dépasse la taille acceptée par cette page.",
        "La requête doit être un formulaire (application/x-www-form-urlencoded ou multipart/form-data).", "Le formulaire n’a pas pu être lu.",
        "Se désabonner de {store}", "Se désabonner", "Quels e-mails de {store} ne souhaitez-vous plus recevoir\u00A0?", "Tous les e-mails de {store}",
        "Uniquement les e-mails «\u00A0{journey}\u00A0»", "Me désabonner",
        "Choisissez les e-mails dont vous souhaitez vous désabonner\u00A0: tous, ou seulement ce type d’e-mails.", "Désabonnement confirmé",
        "Votre désabonnement est confirmé",
        "Vous ne recevrez plus d’e-mails marketing de {store}.", "Vous ne recevrez plus d’e-mails «\u00A0{journey}\u00A0» de {store}.",
        "Votre avis sur {store}", "Votre avis nous intéresse",
        "Dans quelle mesure êtes-vous satisfait(e) de la façon dont {store} a traité votre demande\u00A0? 1\u00A0=\u00A0pas du tout satisfait(e), 5\u00A0=\u00A0très satisfait(e).",
        "Envoyer ma réponse",
        "La note doit être un nombre entier de 1 à 5.",
        "Merci", "Merci",
        "Votre réponse ({score} sur 5) a bien été transmise à {store}. Si vous changez d’avis, ouvrez à nouveau le même lien et envoyez une autre réponse.");

    public static readonly FrozenDictionary<string, RecipientText> All =
        new[] { English, Spanish, Portuguese, Russian, French }.ToFrozenDictionary(t => t.Locale, StringComparer.OrdinalIgnoreCase);

    /// <summary>The text for a locale the pages have (see <see cref="Choose"/>).</summary>
    public static RecipientText For(string locale) => All.GetValueOrDefault(locale) ?? English;

    /// <summary>As the emails choose: the customer's locale, then the store's, then English.</summary>
    public static RecipientText Choose(string? customerLocale, string? storeLocale) =>
        For(EmailLocales.Choose(All.Keys, customerLocale, storeLocale));

    /// <summary>
    /// The page's language for a verified link: the customer's profile locale, then the store's, then English,
    /// as the email was chosen. With no profile (never known or erased) the browser's Accept-Language comes
    /// before the store's locale, when it names a language the pages have.
    /// </summary>
    public static RecipientText ForLink(RecipientLink link, CustomerProfileLocale profile, HttpRequest request, StoreDirectory stores)
    {
        var storeLocale = stores.TryGet(link.Token.StoreId, out var store) ? store.Locale : null;
        if (profile.Known) return Choose(profile.Locale, storeLocale);
        return FromAcceptLanguage(request) ?? Choose(null, storeLocale);
    }

    /// <summary>The first of the request's Accept-Language that the pages have (by quality), or null.</summary>
    public static RecipientText? FromAcceptLanguage(HttpRequest request)
    {
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var ranges)) return null;
        foreach (var range in ranges.Where(r => r.Quality is not 0).OrderByDescending(r => r.Quality ?? 1))
        {
            if (EmailLocales.Normalise(range.Value.Value) is not { } tag) continue;
            var chosen = EmailLocales.Choose(All.Keys, tag, null);
            if (EmailLocales.Language(chosen) == EmailLocales.Language(tag)) return For(chosen);
        }
        return null;
    }

    /// <summary>
    /// <see cref="ForLink"/> with the profile read here. A storage failure does not fail the page over its
    /// language: it is logged and the page is shown as if there were no profile.
    /// </summary>
    public static async Task<RecipientText> ForLinkAsync(RecipientLink link, HttpRequest request, CustomerTable customers, StoreDirectory stores,
        ILogger log, CancellationToken ct)
    {
        CustomerProfileLocale profile;
        try
        {
            profile = await ReadProfileLocaleAsync(link, customers, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Log.PageLanguageUnread(log, ex, link.Token.StoreId);
            profile = CustomerProfileLocale.None;
        }
        return ForLink(link, profile, request, stores);
    }

    /// <summary>The profile's locale for a link's customer; an erased profile counts as none.</summary>
    public static async Task<CustomerProfileLocale> ReadProfileLocaleAsync(RecipientLink link, CustomerTable customers, CancellationToken ct)
    {
        var profile = (await customers.ReadStateAsync(CustomerKey.Partition(link.Token.StoreId, link.Token.CustomerKey), ct)).Profile;
        return profile is null || profile.RedactedAt is not null ? CustomerProfileLocale.None : new(true, profile.Locale);
    }

    /// <summary>The sentence, HTML-encoded, with its placeholders replaced by HTML-encoded values.</summary>
    public static string Html(string template, string? store = null, string? journey = null, int? score = null) =>
        Fill(RecipientPage.E(template), RecipientPage.E(store), RecipientPage.E(journey), score);

    /// <summary>The template with its placeholders replaced by the plain values (for the title, which the page encodes).</summary>
    public static string Text(string template, string? store = null, string? journey = null, int? score = null) =>
        Fill(template, store ?? "", journey ?? "", score);

    /// <summary>One pass, so a store or journey name that itself reads "{journey}" stays as it is.</summary>
    private static string Fill(string template, string store, string journey, int? score) =>
        Placeholder().Replace(template, m => m.Groups[1].Value switch
        {
            "store" => store,
            "journey" => journey,
            _ => score?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        });

    [System.Text.RegularExpressions.GeneratedRegex(@"\{(store|journey|score)\}")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();
}

/// <summary>Whether the link's customer has a profile, and its locale if it has one.</summary>
public readonly record struct CustomerProfileLocale(bool Known, string? Locale)
{
    public static readonly CustomerProfileLocale None = new(false, null);
}
