using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Automation.Functions.Recipients;
using Automation.Functions.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Automation.Functions.Tests.Recipients;

/// <summary>
/// The recipient pages speak the customer's language (the profile's locale, then the store's, then English,
/// as the emails do); with no profile the browser's Accept-Language comes first; the invalid-link page
/// follows only the browser and stays the same for every reason a link fails.
/// </summary>
public sealed partial class PageLanguageTests : IAsyncLifetime
{
    private const string StoreName = "Ana's <Shop>", EncodedStore = "Ana&#39;s &lt;Shop&gt;", Journey = "First-order follow-up";
    private TestApp _app = null!;
    private TestApp? _other;

    /// <summary>The app the helpers talk to: the class's, or one a test started with other settings.</summary>
    private TestApp App => _other ?? _app;

    public async Task InitializeAsync() =>
        _app = await TestApp.StartAsync(new() { ["Automation:Stores:shop:Name"] = StoreName });

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    public static TheoryData<string, string, string[]> Languages => new()
    {
        { "es", "es", ["<h1>Darse de baja</h1>", $"Todos los correos de {EncodedStore}", $"Solo los correos «{Journey}»",
            $"Ya no recibirás más correos «{Journey}» de {EncodedStore}.", "¿Qué tal lo hicimos?", $"Tu respuesta (4 de 5) ha llegado a {EncodedStore}."] },
        { "ru", "ru", ["<h1>Отписка от рассылки</h1>", $"Все письма от {EncodedStore}", $"Только письма «{Journey}»",
            $"Вы больше не будете получать письма «{Journey}» от {EncodedStore}.", "Как мы справились?", $"Ваш ответ (4 из 5) отправлен в {EncodedStore}."] },
        { "fr", "fr", ["<h1>Se désabonner</h1>", $"Tous les e-mails de {EncodedStore}", $"Uniquement les e-mails «\u00A0{Journey}\u00A0»",
            $"Vous ne recevrez plus d’e-mails «\u00A0{Journey}\u00A0» de {EncodedStore}.", "Votre avis nous intéresse", $"Votre réponse (4 sur 5) a bien été transmise à {EncodedStore}."] },
        { "pt-BR", "pt-BR", ["<h1>Cancelar inscrição</h1>", $"Todos os e-mails de {EncodedStore}", $"Apenas os e-mails “{Journey}”",
            $"Você não receberá mais e-mails “{Journey}” de {EncodedStore}.", "Como nos saímos?", $"Sua resposta (4 de 5) foi enviada para {EncodedStore}."] },
        { "pt_pt", "pt-BR", ["<h1>Cancelar inscrição</h1>", $"Todos os e-mails de {EncodedStore}", $"Apenas os e-mails “{Journey}”",
            $"Você não receberá mais e-mails “{Journey}” de {EncodedStore}.", "Como nos saímos?", $"Sua resposta (4 de 5) foi enviada para {EncodedStore}."] },
        { "en-GB", "en", ["<h1>Unsubscribe</h1>", $"All email from {EncodedStore}", $"Only “{Journey}” emails",
            $"You will get no more “{Journey}” emails from {EncodedStore}.", "How did we do?", $"Your answer (4 of 5) has reached {EncodedStore}."] },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task every_page_speaks_the_customers_language(string profileLocale, string lang, string[] phrases)
    {
        await _app.SeedAsync("id:7", "ana@example.com", locale: profileLocale);

        var unsubscribe = await PageAsync(HttpMethod.Get, Unsubscribe("id:7"), lang);
        Assert.Contains(phrases[0], unsubscribe, StringComparison.Ordinal);
        Assert.Contains(phrases[1], unsubscribe, StringComparison.Ordinal);
        Assert.Contains(phrases[2], unsubscribe, StringComparison.Ordinal);
        Assert.Contains(phrases[3], await PageAsync(HttpMethod.Post, Unsubscribe("id:7"), lang, form: ("scope", "journey")), StringComparison.Ordinal);
        Assert.Contains(phrases[4], await PageAsync(HttpMethod.Get, Survey("id:7") + "?score=4", lang), StringComparison.Ordinal);
        Assert.Contains(phrases[5], await PageAsync(HttpMethod.Post, Survey("id:7"), lang, form: ("score", "4")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_profile_comes_before_the_browser()
    {
        await _app.SeedAsync("id:7", "ana@example.com", locale: "ru");
        Assert.Contains("Отписаться", await PageAsync(HttpMethod.Get, Unsubscribe("id:7"), "ru", acceptLanguage: "fr"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task without_a_customer_locale_the_store_locale_then_english()
    {
        await using var app = await TestApp.StartAsync(new() { ["Automation:Stores:shop:Name"] = StoreName, ["Automation:Stores:shop:Locale"] = "fr" });
        _other = app;
        await app.SeedAsync("id:1", "one@example.com");
        await app.SeedAsync("id:2", "two@example.com", locale: "de-DE");
        Assert.Contains("Tous les e-mails de", await PageAsync(HttpMethod.Get, Unsubscribe("id:1"), "fr"), StringComparison.Ordinal);
        Assert.Contains("Votre avis nous intéresse", await PageAsync(HttpMethod.Get, Survey("id:2"), "fr"), StringComparison.Ordinal);

        await using var german = await TestApp.StartAsync(new() { ["Automation:Stores:shop:Locale"] = "de" });
        _other = german;
        await german.SeedAsync("id:1", "one@example.com");
        Assert.Contains("All email from", await PageAsync(HttpMethod.Get, Unsubscribe("id:1"), "en"), StringComparison.Ordinal);
        Assert.Contains("How did we do?", await PageAsync(HttpMethod.Get, Survey("id:1"), "en", acceptLanguage: "es"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task without_a_profile_the_browser_language_then_the_store_locale()
    {
        Assert.Contains("Falta algo", await PageAsync(HttpMethod.Post, Survey("id:404"), "es", HttpStatusCode.BadRequest, "de, es-MX;q=0.8, en;q=0.5",
            ("score", "9")), StringComparison.Ordinal);
        Assert.Contains("Baja confirmada", await PageAsync(HttpMethod.Post, Unsubscribe("id:404"), "es", acceptLanguage: "es-MX", form: ("scope", "all")),
            StringComparison.Ordinal);
        Assert.Contains("All email from", await PageAsync(HttpMethod.Get, Unsubscribe("id:404"), "en", acceptLanguage: "de, ru;q=0"), StringComparison.Ordinal);
        Assert.Contains("All email from", await PageAsync(HttpMethod.Get, Unsubscribe("id:404"), "en"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_invalid_link_page_follows_the_browser_and_is_the_same_for_every_reason()
    {
        var expired = _app.Link(LinkPurposes.Unsubscribe, "id:7", lifetime: TimeSpan.FromSeconds(1));
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        var reasons = new[]
        {
            "/api/r/unsubscribe/nonsense.token", "/api/r/unsubscribe/" + expired, Survey("id:7").Replace("survey", "unsubscribe", StringComparison.Ordinal),
            "/api/r/survey/" + _app.Link(LinkPurposes.Survey, "id:7", store: "nowhere"),
        };
        await _app.SeedAsync("id:7", "ana@example.com", locale: "ru");
        var spanish = new HashSet<string>(StringComparer.Ordinal);
        var english = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in reasons)
        {
            spanish.Add(await PageAsync(HttpMethod.Get, path, "es", HttpStatusCode.BadRequest, "es-419,es;q=0.9"));
            english.Add(await PageAsync(HttpMethod.Get, path, "en", HttpStatusCode.BadRequest));
        }
        Assert.Contains("Este enlace no es válido o ha caducado.", Assert.Single(spanish), StringComparison.Ordinal);
        Assert.Contains("This link is invalid or has expired.", Assert.Single(english), StringComparison.Ordinal);
    }

    public static TheoryData<string> Locales => [.. RecipientText.All.Keys];

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task no_page_in_any_language_keeps_a_placeholder(string locale)
    {
        await _app.SeedAsync("id:7", "ana@example.com", locale: locale);
        string[] pages =
        [
            await PageAsync(HttpMethod.Get, Unsubscribe("id:7"), locale),
            await PageAsync(HttpMethod.Post, Unsubscribe("id:7"), locale, HttpStatusCode.BadRequest, form: ("scope", "some")),
            await PageAsync(HttpMethod.Post, Unsubscribe("id:7"), locale, form: ("scope", "journey")),
            await PageAsync(HttpMethod.Post, Unsubscribe("id:7"), locale, form: ("scope", "all")),
            await PageAsync(HttpMethod.Get, Survey("id:7") + "?score=2", locale),
            await PageAsync(HttpMethod.Post, Survey("id:7"), locale, HttpStatusCode.BadRequest, form: ("score", "0")),
            await PageAsync(HttpMethod.Post, Survey("id:7"), locale, form: ("score", "2")),
            await PageAsync(HttpMethod.Get, "/api/r/survey/x.y", locale, HttpStatusCode.BadRequest, locale),
            await RenderAsync(RecipientPage.TryAgain(RecipientText.For(locale)), locale),
        ];
        foreach (var html in pages)
        {
            Assert.DoesNotMatch(Placeholder(), html);
            Assert.DoesNotContain("&amp;", html, StringComparison.Ordinal); // nothing encoded twice
        }
        Assert.Equal(pages.Length, pages.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void every_language_has_every_sentence_with_the_same_placeholders_as_english()
    {
        var sentences = typeof(RecipientText).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string)).ToList();
        Assert.True(sentences.Count > 20);
        Assert.Equal(["en", "es", "fr", "pt-BR", "ru"], RecipientText.All.Keys.Order(StringComparer.Ordinal));
        foreach (var text in RecipientText.All.Values)
        {
            foreach (var p in sentences)
            {
                var value = (string)p.GetValue(text)!;
                var english = (string)p.GetValue(RecipientText.English)!;
                Assert.False(string.IsNullOrWhiteSpace(value), $"{text.Locale}.{p.Name}");
                Assert.Equal(Placeholders(english), Placeholders(value));
                Assert.DoesNotContain('<', value); // sentences are text: the pages put them into markup as they are
                Assert.DoesNotContain('&', value);
                if (text != RecipientText.English && p.Name != nameof(RecipientText.Locale) && !english.StartsWith("The request must be", StringComparison.Ordinal))
                    Assert.NotEqual(english, value);
            }
        }
    }

    private string Unsubscribe(string customer) => "/api/r/unsubscribe/" + App.Link(LinkPurposes.Unsubscribe, customer);

    private string Survey(string customer) => "/api/r/survey/" + App.Link(LinkPurposes.Survey, customer, journey: "post-complaint-survey");

    /// <summary>The page's HTML, after checking its status, language (attribute and header) and the private headers.</summary>
    private async Task<string> PageAsync(HttpMethod method, string path, string lang, HttpStatusCode status = HttpStatusCode.OK,
        string? acceptLanguage = null, params (string Key, string Value)[] form)
    {
        using var request = new HttpRequestMessage(method, path);
        if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        if (method == HttpMethod.Post) request.Content = RecipientKit.Form(form);
        using var response = await App.Http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Contains($"<html lang=\"{lang}\">", html, StringComparison.Ordinal);
        Assert.Equal([lang], response.Content.Headers.ContentLanguage);
        UnsubscribeTests.AssertPrivateHeaders(response);
        return html;
    }

    private static async Task<string> RenderAsync(RecipientPage page, string lang)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await page.ExecuteAsync(context);
        Assert.Equal(lang, context.Response.Headers.ContentLanguage.ToString());
        var html = System.Text.Encoding.UTF8.GetString(body.ToArray());
        Assert.Contains($"<html lang=\"{lang}\">", html, StringComparison.Ordinal);
        return html;
    }

    private static List<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{[a-z]+\}")]
    private static partial Regex Placeholder();
}
