using Automation.Core.Events;
using System.Globalization;
using System.Text.Json;

namespace Automation.Core.Ingestion.Api;

/// <summary>Reading values from a request the way the events API promises to.</summary>
internal static class ApiJson
{
    /// <summary>
    /// Reports strings and property names that cannot be decoded (an escaped unpaired surrogate,
    /// which UTF-8 validation of the body cannot see) and names repeated in one object, which
    /// would mean different things to different readers. After this, <c>GetString</c> cannot throw.
    /// </summary>
    public static void CheckText(JsonElement value, string path, ApiProblems problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    if (!JsonSyntax.TryGetName(property, out var name))
                    {
                        problems.Add(ApiPath.OrRoot(path), "has a property name that is not valid text (an unpaired surrogate escape)");
                        continue;
                    }

                    var at = ApiPath.Property(path, name);
                    if (!names.Add(name)) problems.Add(at, "appears more than once");
                    CheckText(property.Value, at, problems);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    CheckText(item, ApiPath.Index(path, index++), problems);
                }

                break;
            case JsonValueKind.String:
                if (!TryGetString(value, out _)) problems.Add(ApiPath.OrRoot(path), "is not valid text (an unpaired surrogate escape)");
                break;
        }
    }

    /// <summary>The member, or null when it is absent or JSON <c>null</c>: an optional field sent as null is not sent.</summary>
    public static JsonElement? Optional(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>Text of a string (trimmed) or the literal digits of an integer, never through a double: ids exceed 2^53.</summary>
    public static bool TryGetIdText(JsonElement value, out string text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString()!.Trim();
                return true;
            case JsonValueKind.Number:
                text = value.GetRawText();
                return text.AsSpan().IndexOfAny(".eE") < 0;
            default:
                text = "";
                return false;
        }
    }

    /// <summary>A number or a numeric string (<c>"19.99"</c>), as a decimal.</summary>
    public static bool TryGetAmount(JsonElement value, out decimal amount)
    {
        amount = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDecimal(out amount),
            JsonValueKind.String => decimal.TryParse(value.GetString(),
                NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out amount),
            _ => false,
        };
    }

    /// <summary>A JSON integer that fits an int: <c>3</c>, not <c>3.0</c> or <c>"3"</c>.</summary>
    public static bool TryGetInteger(JsonElement value, out int number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out number);
    }

    /// <summary>Trimmed text; null when the string is empty or blank, which tells nothing.</summary>
    public static string? NonBlank(JsonElement stringValue)
    {
        var text = stringValue.GetString()!.Trim();
        return text.Length == 0 ? null : text;
    }

    private static bool TryGetString(JsonElement value, out string? text)
    {
        try
        {
            text = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }
}
