using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Automation.Core.Journeys.Definitions;
using Automation.Functions.Hosting;

namespace Automation.Functions.Journeys;

/// <summary>What the journey endpoints share: reading a JSON body within a limit, and their problem answers.</summary>
internal static partial class JourneyHttp
{
    /// <summary>A definition is a few KiB; a quarter of a MiB leaves room for big ones and none for abuse.</summary>
    public const int MaxDefinitionBytes = 256 * 1024;

    /// <summary>The body, up to <paramref name="max"/> bytes (413 beyond), without a UTF-8 byte order mark.</summary>
    public static async Task<(byte[]? Body, IResult? Problem)> ReadAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength > max) return (null, TooLarge(max));
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max) return (null, TooLarge(max));
            buffer.Write(chunk, 0, read);
        }
        var body = buffer.ToArray();
        return (body.AsSpan().StartsWith("\uFEFF"u8) ? body[3..] : body, null);
    }

    /// <summary>The body as text when it is one well-formed JSON document; otherwise the 400 that says why.</summary>
    public static (string? Text, IResult? Problem) Json(byte[] body)
    {
        if (body.AsSpan().IndexOfAnyExcept(" \t\r\n"u8) < 0) return (null, Malformed("The body is empty; send a JSON document."));
        if (!Utf8.IsValid(body)) return (null, Malformed("The body is not valid UTF-8."));
        try
        {
            // Repeated names are left to JourneyReader, which names the path of each.
            using var _ = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = true });
        }
        catch (JsonException ex)
        {
            return (null, Malformed(Describe(ex)));
        }
        return (Encoding.UTF8.GetString(body), null);
    }

    public static IResult Malformed(string detail) => Problems.Status(StatusCodes.Status400BadRequest, "Malformed JSON", detail);

    /// <summary>A 400 listing every problem at its path: <c>"errors": [{"path", "message"}, …]</c>.</summary>
    public static IResult Invalid(string title, IEnumerable<JourneyProblem> problems)
    {
        var errors = problems.Select(p => new JourneyError(p.Path, p.Message)).ToList();
        var detail = errors.Count == 1 ? $"{errors[0].Path}: {errors[0].Message}" : $"{errors.Count} problems; see errors.";
        return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { ["errors"] = errors });
    }

    public static IResult Invalid(string title, string path, string message) => Invalid(title, [new JourneyProblem(path, message)]);

    public static IResult NotFound(string id) =>
        Problems.Status(StatusCodes.Status404NotFound, "Unknown journey", $"No journey '{Quote(id)}'.");

    /// <summary>Ids a journey can have (the validator's rule); anything else cannot exist, and never reaches storage as a key.</summary>
    public static bool IsId(string id) => IdPattern().IsMatch(id);

    public static string Quote(string value) => value.Length <= 80 ? value : value[..77] + "…";

    private static IResult TooLarge(int max) => Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large",
        $"The body is larger than the {max / 1024} KiB this endpoint accepts.");

    private static string Describe(JsonException ex)
    {
        // The reader's message ends in " LineNumber: 0 | BytePositionInLine: 5." (zero-based); say it once, from 1.
        var reason = ex.Message;
        foreach (var marker in (ReadOnlySpan<string>)[" Path: ", " LineNumber: "])
        {
            var cut = reason.IndexOf(marker, StringComparison.Ordinal);
            if (cut >= 0) reason = reason[..cut];
        }
        return $"The body is not valid JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}: {reason}";
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\z")]
    private static partial Regex IdPattern();
}
