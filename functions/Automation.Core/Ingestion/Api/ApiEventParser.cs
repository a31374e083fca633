using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Automation.Core.Events;

namespace Automation.Core.Ingestion.Api;

/// <summary>One problem with a request, named by its JSON path: <c>type</c>, <c>data.score</c>, <c>[2].customerId</c>, or <c>$</c> for the whole body.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>Either events (and no errors) or errors (and no events): a request is accepted whole or not at all.</summary>
public sealed record ApiEventParseResult(IReadOnlyList<CustomerEvent> Events, IReadOnlyList<FieldError> Errors);

/// <summary>
/// Reads the body of <c>POST /api/events/{storeId}</c>: one event object or an array of them,
/// each <c>{"type", "customerId" or "email", "id"?, "occurredAt"?, "data"?}</c>. Pure: the
/// caller passes the time the request arrived and where fresh ids come from.
/// </summary>
public static class ApiEventParser
{
    public const int MaxEventsPerRequest = 500;

    /// <summary>The <see cref="CustomerEvent.Source"/> of every event from this API, and the prefix of its ids.</summary>
    public const string Source = "api";

    // Duplicate property names are checked by ApiJson.CheckText, which can name the path;
    // the document's own check cannot say where the duplicate is.
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = true };

    /// <param name="newId">Called for each event that has no <c>id</c> of its own.</param>
    public static ApiEventParseResult Parse(ReadOnlySpan<byte> utf8Body, string storeId, DateTimeOffset receivedAt, Func<string> newId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storeId);
        ArgumentNullException.ThrowIfNull(newId);

        var body = utf8Body.StartsWith("\uFEFF"u8) ? utf8Body[3..] : utf8Body;
        if (body.IndexOfAnyExcept(" \t\r\n"u8) < 0) return Fail("$", "the body is empty; send an event object or an array of them");
        // Checked up front so that every string in the document can be decoded later.
        if (!Utf8.IsValid(body)) return Fail("$", "the body is not valid UTF-8");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), DocumentOptions);
        }
        catch (JsonException ex)
        {
            return Fail(ex.Path ?? "$", DescribeSyntaxError(ex));
        }

        using (document)
        {
            return Read(document.RootElement, new ApiEventReader(storeId, receivedAt, newId));
        }
    }

    private static ApiEventParseResult Read(JsonElement root, ApiEventReader reader)
    {
        var events = new List<CustomerEvent>();
        switch (root.ValueKind)
        {
            case JsonValueKind.Object:
                Add(events, reader.Read(root, ""));
                break;
            case JsonValueKind.Array:
                var count = root.GetArrayLength();
                if (count == 0) return Fail("$", $"the array is empty; send 1 to {MaxEventsPerRequest} events");
                if (count > MaxEventsPerRequest)
                {
                    return Fail("$", string.Create(CultureInfo.InvariantCulture,
                        $"the array has {count} events; send at most {MaxEventsPerRequest} per request"));
                }

                var index = 0;
                foreach (var item in root.EnumerateArray())
                {
                    Add(events, reader.Read(item, ApiPath.Index("", index++)));
                }

                break;
            default:
                return Fail("$", "must be an event object or an array of them");
        }

        var problems = reader.Problems;
        return problems.Any ? new ApiEventParseResult([], problems.ToList()) : new ApiEventParseResult(events, []);
    }

    private static void Add(List<CustomerEvent> events, CustomerEvent? e)
    {
        if (e is not null) events.Add(e);
    }

    private static ApiEventParseResult Fail(string field, string message) => new([], [new FieldError(field, message)]);

    private static string DescribeSyntaxError(JsonException ex)
    {
        var (reason, line, position) = JsonSyntax.Describe(ex);
        return string.Create(CultureInfo.InvariantCulture, $"the body is not valid JSON at line {line}, byte {position}: {reason}");
    }
}
