using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Automation.Functions.Email;

/// <summary>
/// The plain-text part derived from the rendered HTML, so a template is written once: links kept as
/// <c>text (url)</c>, paragraphs and line breaks kept, every other tag dropped, entities decoded.
/// </summary>
public static partial class HtmlText
{
    public static string From(string html)
    {
        var s = Hidden().Replace(html, "");
        s = Whitespace().Replace(s, " "); // HTML collapses source whitespace; the tags below say where lines break
        s = Link().Replace(s, m =>
        {
            var url = WebUtility.HtmlDecode(m.Groups["url"].Value).Trim();
            var text = WebUtility.HtmlDecode(Tag().Replace(m.Groups["text"].Value, "")).Trim();
            return text.Length == 0 || text == url || url.StartsWith('#') ? text.Length == 0 ? url : text : $"{text} ({url})";
        });
        s = Break().Replace(s, "\n");
        s = Item().Replace(s, "\n- ");
        s = Block().Replace(s, "\n\n");
        s = WebUtility.HtmlDecode(Tag().Replace(s, ""));
        var lines = s.Replace('\u00A0', ' ').Split('\n').Select(l => Spaces().Replace(l, " ").Trim());
        var text = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                blank++;
                continue;
            }
            if (text.Length > 0) text.Append(blank > 0 ? "\n\n" : "\n");
            text.Append(line);
            blank = 0;
        }
        return text.ToString();
    }

    [GeneratedRegex(@"<(head|style|script|title)\b[^>]*>.*?</\1\s*>|<!--.*?-->", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Hidden();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"<a\b[^>]*?\bhref\s*=\s*(?:""(?<url>[^""]*)""|'(?<url>[^']*)')[^>]*>(?<text>.*?)</a\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Link();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex Break();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Item();

    [GeneratedRegex(@"</?(p|div|h[1-6]|table|tr|ul|ol|blockquote|hr|footer|header|section)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Block();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex Spaces();
}
