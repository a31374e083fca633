using System.Text.Json;

namespace Automation.Core.Events;

/// <summary>What the JSON readers of requests and definitions say about text that is not JSON.</summary>
public static class JsonSyntax
{
    /// <summary>
    /// The reader's reason without its trailing " LineNumber: 0 | BytePositionInLine: 5." (zero-based),
    /// and the line and byte counted from 1, as editors count.
    /// </summary>
    public static (string Reason, long Line, long Position) Describe(JsonException ex)
    {
        var reason = ex.Message;
        foreach (var marker in (ReadOnlySpan<string>)[" Path: ", " LineNumber: "])
        {
            var cut = reason.IndexOf(marker, StringComparison.Ordinal);
            if (cut >= 0) reason = reason[..cut];
        }
        return (reason, (ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1);
    }

    /// <summary>
    /// A string value's text, or null when it is not a string or its escapes or bytes do not make valid text
    /// (<c>"\uD800"</c>, invalid UTF-8): JSON parsers let those through and <see cref="JsonElement.GetString"/> throws on them.
    /// </summary>
    public static string? TryGetString(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return null;
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A property's name, or false when its escapes do not make valid text (an unpaired surrogate).</summary>
    public static bool TryGetName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }
}
