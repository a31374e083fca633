using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Core.Journeys.Definitions;

namespace Automation.Functions.Journeys;

/// <summary>The value rules of <see cref="PreviewReader"/>: each reads one JSON value or records why it cannot.</summary>
internal sealed partial class PreviewReader
{
    private DateTimeOffset? Time(JsonElement value, string at)
    {
        if (value.ValueKind == JsonValueKind.String && TryString(value, out var text) && TimePattern().IsMatch(text) && value.TryGetDateTimeOffset(out var time))
            return time.ToUniversalTime();
        return FailValue<DateTimeOffset>(at, "must be an ISO 8601 date and time with a UTC offset, e.g. \"2026-01-10T12:00:00Z\"");
    }

    private decimal? Amount(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var amount) && amount is >= 0 and < 1_000_000_000_000m
            ? amount
            : FailValue<decimal>(at, "must be a number from 0, e.g. 40 or 19.99");

    private string? Text(JsonElement value, string at)
    {
        if (value.ValueKind != JsonValueKind.String) return Fail<string>(at, "must be a string");
        if (!TryString(value, out var text)) return Fail<string>(at, "is not valid text (an unpaired surrogate escape)");
        return text.Length is > 0 and <= MaxText ? text : Fail<string>(at, $"must be 1 to {MaxText} characters");
    }

    private List<string>? Texts(JsonElement value, string at, int max)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > max) return Fail<List<string>>(at, $"must be an array of at most {max} strings");
        var texts = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
            if (Text(item, $"{at}[{i++}]") is { } text) texts.Add(text);
        return texts;
    }

    /// <summary>Every name and string in <paramref name="value"/> is decodable, so journeys can read it.</summary>
    private bool CheckText(JsonElement value, string at)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var ok = true;
                foreach (var p in value.EnumerateObject())
                    ok &= (TryName(p) || Fail(at)) && CheckText(p.Value, at + "." + p.Name);
                return ok;
            case JsonValueKind.Array:
                var fine = true;
                var i = 0;
                foreach (var item in value.EnumerateArray()) fine &= CheckText(item, $"{at}[{i++}]");
                return fine;
            case JsonValueKind.String:
                return TryString(value, out _) || Fail(at);
            default:
                return true;
        }

        bool Fail(string path)
        {
            Add(path, "is not valid text (an unpaired surrogate escape)");
            return false;
        }
    }

    private static bool TryName(JsonProperty p)
    {
        try
        {
            _ = p.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryString(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private void Unknown(JsonElement o, string at, string[] allowed)
    {
        foreach (var p in o.EnumerateObject())
        {
            if (!TryName(p)) Add(at, "has a member name that is not valid text (an unpaired surrogate escape)");
            else if (!allowed.Contains(p.Name, StringComparer.Ordinal))
                Add($"{at}.{JourneyHttp.Quote(p.Name)}", $"unknown field; allowed: {string.Join(", ", allowed)}");
        }
    }

    private T? Fail<T>(string at, string message) where T : class
    {
        Add(at, message);
        return null;
    }

    private T? FailValue<T>(string at, string message) where T : struct
    {
        Add(at, message);
        return null;
    }

    private void Add(string at, string message) => _errors.Add(new JourneyProblem(at, message));

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+\z")]
    private static partial Regex EventPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})\z")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*\z")]
    private static partial Regex LocalePattern();

    [GeneratedRegex(@"^[A-Z]{2}\z")]
    private static partial Regex CountryPattern();
}
