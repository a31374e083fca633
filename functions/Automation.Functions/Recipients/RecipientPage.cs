using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Automation.Functions.Recipients;

/// <summary>
/// A small, self-contained HTML page for recipients: no scripts, no external resources, every value
/// HTML-encoded, and headers that keep it out of caches, search engines and other sites' frames.
/// The one inline style sheet is allowed by its hash, so the CSP needs no <c>unsafe-inline</c>.
/// </summary>
public sealed class RecipientPage(int status, string title, string bodyHtml) : IResult
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

    /// <summary>HTML-encodes a value for text or a quoted attribute.</summary>
    public static string E(string? value) => WebUtility.HtmlEncode(value ?? "");

    /// <summary>The same page for every reason a link fails: it tells an attacker nothing.</summary>
    public static RecipientPage InvalidLink() => new(StatusCodes.Status400BadRequest, "Link not valid",
        "<h1>Link not valid</h1><p>This link is invalid or has expired.</p>");

    public static RecipientPage TryAgain() => new(StatusCodes.Status503ServiceUnavailable, "Please try again",
        "<h1>Please try again</h1><p>We could not save your choice just now. Please try again in a few minutes.</p>");

    public static RecipientPage BadRequest(string message) => new(StatusCodes.Status400BadRequest, "Something is missing",
        $"<h1>Something is missing</h1><p>{E(message)}</p>");

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
        var html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex,nofollow\">" +
            $"<title>{E(title)}</title><style>{Style}</style></head><body><main>{bodyHtml}</main></body></html>";
        await response.WriteAsync(html, Encoding.UTF8, httpContext.RequestAborted);
    }
}
