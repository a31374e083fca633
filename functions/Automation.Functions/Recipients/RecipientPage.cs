using System.Security.Cryptography;
using System.Text;

namespace Automation.Functions.Recipients;

/// <summary>
/// A small, self-contained HTML page for recipients: no scripts, no external resources, every value
/// HTML-encoded, and headers that keep it out of caches, search engines and other sites' frames.
/// The one inline style sheet is allowed by its hash, so the CSP needs no <c>unsafe-inline</c>.
/// </summary>
/// <remarks>The page's language is its text's: <c>&lt;html lang&gt;</c> and <c>Content-Language</c> say which.</remarks>
public sealed class RecipientPage(int status, RecipientText text, string title, string bodyHtml) : IResult
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:0;background:#f6f6f6;color:#1a1a1a;line-height:1.5}" +
        "main{max-width:32rem;margin:3rem auto;padding:1.5rem 2rem;background:#fff;border-radius:.5rem}" +
        "h1{font-size:1.4rem}fieldset{border:0;padding:0;margin:1rem 0}label{display:block;margin:.4rem 0}" +
        "button{font-size:1rem;padding:.5rem 1.2rem;margin-top:.5rem}.scores label{display:inline-block;margin-right:1rem}";

    private static readonly string Csp =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public int StatusCode => status;

    /// <summary>
    /// HTML-encodes a value for text or a quoted attribute: <c>&amp; &lt; &gt; " '</c>, which is all either needs;
    /// letters such as é, ¿ or « stay themselves (the page is UTF-8) rather than numeric references.
    /// </summary>
    public static string E(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.AsSpan().IndexOfAny("&<>\"'") < 0) return value ?? "";
        var sb = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// The same page for every reason a link fails: it tells an attacker nothing. Nothing of the link is read
    /// for it, so its language is the browser's (Accept-Language) when the pages have it, else English.
    /// </summary>
    public static RecipientPage InvalidLink(HttpRequest request) => InvalidLink(RecipientText.FromAcceptLanguage(request) ?? RecipientText.English);

    public static RecipientPage InvalidLink(RecipientText t) => new(StatusCodes.Status400BadRequest, t, t.InvalidTitle,
        $"<h1>{E(t.InvalidTitle)}</h1><p>{E(t.InvalidBody)}</p>");

    public static RecipientPage TryAgain(RecipientText t) => new(StatusCodes.Status503ServiceUnavailable, t, t.TryAgainTitle,
        $"<h1>{E(t.TryAgainTitle)}</h1><p>{E(t.TryAgainBody)}</p>");

    /// <param name="message">A sentence of <paramref name="t"/> without placeholders.</param>
    public static RecipientPage BadRequest(RecipientText t, string message) => new(StatusCodes.Status400BadRequest, t, t.BadRequestTitle,
        $"<h1>{E(t.BadRequestTitle)}</h1><p>{E(message)}</p>");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        var h = response.Headers;
        h.CacheControl = "no-store";
        h["X-Robots-Tag"] = "noindex, nofollow";
        h["Referrer-Policy"] = "no-referrer";
        h.ContentSecurityPolicy = Csp;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h.ContentLanguage = text.Locale;
        var html = $"<!doctype html><html lang=\"{E(text.Locale)}\"><head><meta charset=\"utf-8\">" +
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex,nofollow\">" +
            $"<title>{E(title)}</title><style>{Style}</style></head><body><main>{bodyHtml}</main></body></html>";
        await response.WriteAsync(html, Encoding.UTF8, httpContext.RequestAborted);
    }
}
