using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Core.Customers;
using Automation.Core.Events;

namespace Automation.Core.Ingestion.Api;

/// <summary>Reads the events of one request, one at a time, collecting every problem.</summary>
internal sealed partial class ApiEventReader(string storeId, DateTimeOffset receivedAt, Func<string> newId)
{
    private const int MaxTypeLength = 64;
    private const string Allowed = "type, customerId, email, id, occurredAt, data";
    private static readonly FrozenSet<string> AllowedFields = Allowed.Split(", ").ToFrozenSet(StringComparer.Ordinal);
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Given ids seen so far in this request, and the path of the event that used each.</summary>
    private readonly Dictionary<string, string> seenIds = new(StringComparer.Ordinal);

    public ApiProblems Problems { get; } = new();

    /// <param name="at">The event's path: empty for a lone object, <c>[2]</c> in an array.</param>
    /// <returns>The event, or null when it has problems (now in <see cref="Problems"/>).</returns>
    public CustomerEvent? Read(JsonElement item, string at)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            Problems.Add(ApiPath.OrRoot(at), "must be an event object");
            return null;
        }

        var before = Problems.Count;
        // An event whose text is undecodable or ambiguous is reported for that alone.
        ApiJson.CheckText(item, at, Problems);
        if (Problems.Count > before) return null;

        foreach (var property in item.EnumerateObject())
        {
            if (!AllowedFields.Contains(property.Name))
            {
                Problems.Add(ApiPath.Property(at, property.Name), $"unknown field '{property.Name}'; allowed: {Allowed}");
            }
        }

        var type = ReadType(ApiJson.Optional(item, "type"), ApiPath.Property(at, "type"));
        var (externalId, email) = ReadCustomer(item, at);
        var id = ReadId(ApiJson.Optional(item, "id"), at);
        var occurredAt = ReadOccurredAt(ApiJson.Optional(item, "occurredAt"), ApiPath.Property(at, "occurredAt"));
        var data = ApiEventData.Read(ApiJson.Optional(item, "data"), type, ApiPath.Property(at, "data"), Problems);

        // All or nothing: once anything in the request is wrong, no event is built.
        if (Problems.Any || type is null) return null;

        var consent = data.Consent is { } state ? new ConsentFacts(state, $"{ApiEventParser.Source}:{type}", occurredAt) : null;
        var customer = new CustomerFacts(externalId, email, data.FirstName, data.LastName, data.Locale, data.Country, data.TimeZone, consent);
        return new CustomerEvent(
            EventIds.Make(ApiEventParser.Source, id ?? newId()),
            storeId,
            CustomerKey.For(externalId, email)!,
            type,
            occurredAt,
            receivedAt,
            ApiEventParser.Source,
            customer,
            data.Order,
            data.Data);
    }

    private string? ReadType(JsonElement? value, string field)
    {
        if (value is not { } v)
        {
            Problems.Add(field, "is required, e.g. \"product.viewed\"");
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            Problems.Add(field, "must be a string");
            return null;
        }

        var type = v.GetString()!;
        var problem = type switch
        {
            { Length: 0 } => "must not be empty",
            { Length: > MaxTypeLength } => $"must be at most {MaxTypeLength} characters",
            _ when !TypeName().IsMatch(type) => "must be lower-case words of letters, digits and _ joined by dots, e.g. \"product.viewed\" or \"loyalty.points_earned\"",
            _ when EventTypes.Internal.Contains(type) => $"'{type}' is produced by the journey engine itself and cannot be sent here",
            _ when EventTypes.Reserved.Contains(type) => $"'{type}' is produced by the platform integrations and cannot be sent here",
            _ when type.StartsWith("order.", StringComparison.Ordinal) && !ApiEventData.IsOrderType(type) =>
                $"'{type}' is not an order event; the order events are {ApiEventData.OrderTypeNames}",
            _ => null,
        };
        if (problem is null) return type;
        Problems.Add(field, problem);
        return null;
    }

    private (string? ExternalId, string? Email) ReadCustomer(JsonElement item, string at)
    {
        var customerIdField = ApiPath.Property(at, "customerId");
        var idValue = ApiJson.Optional(item, "customerId");
        var emailValue = ApiJson.Optional(item, "email");
        if (idValue is null && emailValue is null)
        {
            Problems.Add(customerIdField, "give customerId or email");
            return (null, null);
        }

        string? externalId = null;
        if (idValue is { } i)
        {
            if (!ApiJson.TryGetIdText(i, out var text)) Problems.Add(customerIdField, "must be a string or an integer");
            else if (!CustomerKey.IsValidExternalId(text)) Problems.Add(customerIdField, "must be 1 to 100 letters, digits or ._@+- characters, and not 0");
            else externalId = text;
        }

        string? email = null;
        if (emailValue is { } e)
        {
            var emailField = ApiPath.Property(at, "email");
            if (e.ValueKind != JsonValueKind.String) Problems.Add(emailField, "must be a string");
            else if ((email = EmailAddress.Normalise(e.GetString())) is null) Problems.Add(emailField, "must be an email address, e.g. ada@example.com");
        }

        return (externalId, email);
    }

    private string? ReadId(JsonElement? value, string at)
    {
        if (value is not { } v) return null;
        var field = ApiPath.Property(at, "id");
        if (v.ValueKind != JsonValueKind.String)
        {
            Problems.Add(field, "must be a string");
            return null;
        }

        var id = v.GetString()!;
        // IsSafe's pattern lets a trailing newline through; EventIds.Make would trim it away
        // and so make two different ids one.
        if (!EventIds.IsSafe(id) || id.Trim().Length != id.Length)
        {
            Problems.Add(field, "must be 1 to 80 letters, digits or ._:@+- characters");
            return null;
        }

        if (seenIds.TryGetValue(id, out var first))
        {
            Problems.Add(field, $"repeats the id of {first}; every event needs its own id");
            return null;
        }

        seenIds.Add(id, ApiPath.OrRoot(at));
        return id;
    }

    private DateTimeOffset ReadOccurredAt(JsonElement? value, string field)
    {
        if (value is not { } v) return receivedAt;
        if (v.ValueKind != JsonValueKind.String)
        {
            Problems.Add(field, "must be a string, e.g. \"2026-01-10T12:00:00Z\"");
            return receivedAt;
        }

        var text = v.GetString()!;
        var match = Timestamp().Match(text);
        if (!match.Success)
        {
            Problems.Add(field, "must be an ISO 8601 date and time with a UTC offset, e.g. 2026-01-10T12:00:00Z");
            return receivedAt;
        }

        if (!match.Groups["offset"].Success)
        {
            Problems.Add(field, "give a UTC offset, e.g. 2026-01-10T12:00:00Z");
            return receivedAt;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var occurredAt))
        {
            Problems.Add(field, "is not a date and time that exists, e.g. 2026-01-10T12:00:00Z");
            return receivedAt;
        }

        if (occurredAt > receivedAt + FutureTolerance)
        {
            Problems.Add(field, string.Create(CultureInfo.InvariantCulture,
                $"is in the future: more than {FutureTolerance.TotalMinutes} minutes after the request arrived ({receivedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})"));
            return receivedAt;
        }

        // Stored times are UTC (DESIGN.md).
        return occurredAt.ToUniversalTime();
    }

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\z")]
    private static partial Regex TypeName();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(?<offset>[Zz]|[+-]\d{2}:?\d{2})?\z")]
    private static partial Regex Timestamp();
}
