using System.Collections.Concurrent;
using HandlebarsDotNet;

namespace Automation.Functions.Email;

/// <summary>One rendered message: subject, HTML (inside the locale's layout) and plain text.</summary>
public sealed record RenderedEmail(string Subject, string Html, string Text);

/// <summary>
/// The templates kept in the repo: <c>templates/{name}/{locale}.hbs</c>, a front-matter block
/// (<c>---</c> / <c>subject: …</c> / <c>---</c>) then the HTML body, in Handlebars, the syntax SendGrid's
/// dynamic templates use, so the captured preview and a dynamic template fed the same data agree.
/// <c>templates/_layout/{locale}.hbs</c> wraps every body (<c>{{{body}}}</c>) with the footer each message
/// must carry. The plain text is derived from the HTML unless <c>{locale}.txt.hbs</c> exists beside it.
/// Files are read and compiled once, on first use.
/// </summary>
public sealed class EmailTemplates(string directory)
{
    public const string LayoutName = "_layout";
    private const string BodyMarker = "@@BODY@@";

    private readonly IHandlebars _handlebars = Handlebars.Create(new HandlebarsConfiguration { ThrowOnUnresolvedBindingExpression = false });
    // Subjects and plain text are not HTML: they are filled in without escaping.
    private readonly IHandlebars _plain = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = false });
    private readonly ConcurrentDictionary<string, Compiled?> _compiled = new(StringComparer.Ordinal);

    public string Directory => directory;

    /// <summary>The template names (directories), the layout excepted.</summary>
    public static IReadOnlySet<string> NamesIn(string directory) =>
        System.IO.Directory.Exists(directory)
            ? System.IO.Directory.EnumerateDirectories(directory).Select(Path.GetFileName).OfType<string>()
                .Where(n => n != LayoutName && !n.StartsWith('.')).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    public bool Exists(string template) => IsName(template) && System.IO.Directory.Exists(Path.Combine(directory, template));

    /// <summary>The locales a template is written in (<c>en</c>, <c>pt-BR</c>, …).</summary>
    public IReadOnlyList<string> Locales(string template) =>
        Exists(template)
            ? [.. System.IO.Directory.EnumerateFiles(Path.Combine(directory, template), "*.hbs").Select(Path.GetFileName).OfType<string>()
                .Where(f => !f.EndsWith(".txt.hbs", StringComparison.Ordinal)).Select(f => f[..^".hbs".Length]).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Renders <paramref name="template"/> in <paramref name="locale"/> (one of <see cref="Locales"/>).</summary>
    /// <exception cref="InvalidDataException">The file is missing or malformed; the message names it.</exception>
    public RenderedEmail Render(string template, string locale, IReadOnlyDictionary<string, object?> data)
    {
        var page = Load(template, locale) ?? throw new InvalidDataException($"templates/{template}/{locale}.hbs does not exist");
        var context = data.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
        var subject = page.Subject(context).Trim();
        var body = page.Body(context);
        var text = page.Text is { } t ? t(context).Trim() : HtmlText.From(body);
        var layout = Load(LayoutName, EmailLocales.Choose(Locales(LayoutName), locale, null));
        if (layout is null) return new RenderedEmail(subject, body, text);

        context["body"] = body;
        var html = layout.Body(context);
        context["body"] = BodyMarker;
        var frame = layout.Text is { } lt ? lt(context) : HtmlText.From(layout.Body(context));
        return new RenderedEmail(subject, html, frame.Replace(BodyMarker, text, StringComparison.Ordinal).Trim());
    }

    private Compiled? Load(string template, string locale) =>
        IsName(template) && IsName(locale) ? _compiled.GetOrAdd(template + "/" + locale, _ => Compile(template, locale)) : null;

    private Compiled? Compile(string template, string locale)
    {
        var path = Path.Combine(directory, template, locale + ".hbs");
        if (!File.Exists(path)) return null;
        var (subject, body) = FrontMatter(File.ReadAllText(path), $"templates/{template}/{locale}.hbs", requireSubject: template != LayoutName);
        var textPath = Path.Combine(directory, template, locale + ".txt.hbs");
        return new Compiled(
            _plain.Compile(subject ?? ""),
            _handlebars.Compile(body),
            File.Exists(textPath) ? _plain.Compile(File.ReadAllText(textPath)) : null);
    }

    /// <summary>Splits <c>---\nsubject: …\n---\nbody</c>; a file without front matter is all body.</summary>
    internal static (string? Subject, string Body) FrontMatter(string content, string name, bool requireSubject)
    {
        content = content.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!content.StartsWith("---\n", StringComparison.Ordinal))
            return requireSubject ? throw new InvalidDataException($"{name} must start with a front-matter block (---, subject: …, ---)") : (null, content);
        var end = content.IndexOf("\n---\n", 3, StringComparison.Ordinal);
        if (end < 0) throw new InvalidDataException($"{name}: the front-matter block is not closed by a line '---'");
        string? subject = null;
        foreach (var line in content[4..end].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new InvalidDataException($"{name}: front-matter line '{line}' is not 'name: value'");
            if (line[..colon].Trim() == "subject") subject = line[(colon + 1)..].Trim();
        }
        if (requireSubject && string.IsNullOrEmpty(subject)) throw new InvalidDataException($"{name} has no subject in its front matter");
        return (subject, content[(end + 5)..]);
    }

    private static bool IsName(string s) => s.Length is > 0 and <= 100 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private sealed record Compiled(HandlebarsTemplate<object, object> Subject, HandlebarsTemplate<object, object> Body, HandlebarsTemplate<object, object>? Text);
}
