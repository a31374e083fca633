using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Functions.Journeys;

/// <summary>One event of a preview, applied at <see cref="At"/>.</summary>
public sealed record PreviewEvent(string Type, DateTimeOffset At, JsonObject? Data, OrderFacts? Order);

/// <summary>The body of <c>POST /api/journeys/preview</c>, read and checked.</summary>
/// <param name="Profile">The customer as they are at <paramref name="Start"/>; null when the body gives none (the events make one).</param>
public sealed record PreviewRequest(JourneyDefinition Definition, StoreSettings Store, CustomerProfile? Profile,
    IReadOnlyList<PreviewEvent> Events, DateTimeOffset Start, DateTimeOffset Until);

/// <summary>
/// Reads a preview body: <c>{"definition", "customer"?, "events", "until", "start"?, "storeId"?}</c>.
/// Every problem is reported at its JSON path (<c>$.events[2].at</c>), the definition's own at
/// <c>$.definition…</c>. <c>storeId</c> (optional) takes a configured store's time zone and currency.
/// </summary>
internal sealed partial class PreviewReader(JourneyCatalog catalog, Func<string, StoreSettings?> store)
{
    public const int MaxEvents = 1000, MaxOrders = 100, MaxTags = 100, MaxText = 200;
    public const string CustomerKey = "id:preview";
    private static readonly string[] Fields = ["definition", "customer", "events", "until", "start", "storeId"];
    private static readonly string[] EventFields = ["type", "at", "data", "order"];
    private static readonly string[] OrderFields = ["id", "total", "discountCodes"];
    private static readonly string[] CustomerFields = ["email", "firstName", "lastName", "locale", "country", "timeZone", "consent", "tags", "orders"];
    private static readonly string[] PastOrderFields = ["id", "placedAt", "total"];
    private static readonly string[] ConsentStates = ["subscribed", "not_subscribed", "unsubscribed"];

    private readonly List<JourneyProblem> _errors = [];

    public (PreviewRequest? Request, IReadOnlyList<JourneyProblem> Errors) Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return (null, [new JourneyProblem("$", "must be an object: {\"definition\", \"customer\", \"events\", \"until\"}")]);
        Unknown(root, "$", Fields);

        var definition = Definition(root);
        var settings = Store(root);
        var events = Events(root);
        var hasStart = root.TryGetProperty("start", out var s);
        var start = hasStart ? Time(s, "$.start") : events?.FirstOrDefault(e => e is not null)?.At;
        if (!hasStart && events is { Count: 0 }) Add("$.start", "is required when there are no events");
        var until = root.TryGetProperty("until", out var u) ? Time(u, "$.until") : FailValue<DateTimeOffset>("$.until", "is required: the time the preview runs to, e.g. \"2026-06-01T00:00:00Z\"");
        if (start is { } from && events is not null) CheckTimes(from, until, events);
        var customer = root.TryGetProperty("customer", out var c) ? Customer(c, settings, start) : null;

        return _errors.Count > 0 || definition is null || events is null || start is null || until is null
            ? (null, _errors)
            : (new PreviewRequest(definition, settings, customer, [.. events.OfType<PreviewEvent>()], start.Value, until.Value), []);
    }

    private JourneyDefinition? Definition(JsonElement root)
    {
        if (!root.TryGetProperty("definition", out var d)) return Fail<JourneyDefinition>("$.definition", "is required: the journey definition to preview");
        var read = JourneyReader.Read(d.GetRawText(), catalog);
        // The reader's paths start at the definition's own root.
        foreach (var p in read.Problems) Add("$.definition" + p.Path[1..], p.Message);
        return read.IsValid ? read.Definition : null;
    }

    private StoreSettings Store(JsonElement root)
    {
        var fallback = new StoreSettings("preview");
        if (!root.TryGetProperty("storeId", out var id)) return fallback;
        if (Text(id, "$.storeId") is not { } storeId) return fallback;
        if (store(storeId) is { } settings) return settings;
        Add("$.storeId", $"no store '{JourneyHttp.Quote(storeId)}' is configured");
        return fallback;
    }

    /// <summary>The events in body order, null where one is bad (so indexes stay the body's).</summary>
    private List<PreviewEvent?>? Events(JsonElement root)
    {
        if (!root.TryGetProperty("events", out var list)) return Fail<List<PreviewEvent?>>("$.events", "is required: a list of events, e.g. [{\"type\": \"order.placed\", \"at\": \"2026-01-10T12:00:00Z\", \"order\": {\"id\": \"1001\"}}]");
        if (list.ValueKind != JsonValueKind.Array) return Fail<List<PreviewEvent?>>("$.events", "must be an array of events");
        if (list.GetArrayLength() > MaxEvents) return Fail<List<PreviewEvent?>>("$.events", $"has {list.GetArrayLength()} events; a preview takes at most {MaxEvents}");
        var i = 0;
        return [.. list.EnumerateArray().Select(item => Event(item, $"$.events[{i++}]"))];
    }

    private PreviewEvent? Event(JsonElement item, string at)
    {
        if (item.ValueKind != JsonValueKind.Object) return Fail<PreviewEvent>(at, "must be an event object {\"type\", \"at\", \"data\"?, \"order\"?}");
        Unknown(item, at, EventFields);
        var type = item.TryGetProperty("type", out var t) ? EventType(t, at + ".type") : Fail<string>(at + ".type", "is required, e.g. \"order.placed\"");
        var time = item.TryGetProperty("at", out var a) ? Time(a, at + ".at") : FailValue<DateTimeOffset>(at + ".at", "is required: when the event happens, e.g. \"2026-01-10T12:00:00Z\"");
        JsonObject? data = null;
        if (item.TryGetProperty("data", out var d))
        {
            if (d.ValueKind != JsonValueKind.Object) Add(at + ".data", "must be an object");
            else if (CheckText(d, at + ".data")) data = JsonNode.Parse(d.GetRawText())!.AsObject();
        }
        OrderFacts? order = null;
        if (item.TryGetProperty("order", out var o)) order = Order(o, at + ".order");
        else if (type is not null && type.StartsWith("order.", StringComparison.Ordinal)) Add(at + ".order", $"is required for {type}: {{\"id\": \"1001\", \"total\": 40}}");
        return type is null || time is null ? null : new PreviewEvent(type, time.Value, data, order);
    }

    private OrderFacts? Order(JsonElement o, string at)
    {
        if (o.ValueKind != JsonValueKind.Object) return Fail<OrderFacts>(at, "must be an object {\"id\", \"total\"?, \"discountCodes\"?}");
        Unknown(o, at, OrderFields);
        var id = o.TryGetProperty("id", out var i) ? Text(i, at + ".id") : Fail<string>(at + ".id", "is required: the order's id");
        var total = o.TryGetProperty("total", out var t) ? Amount(t, at + ".total") : null;
        var codes = o.TryGetProperty("discountCodes", out var c) ? Texts(c, at + ".discountCodes", MaxTags) : null;
        return id is null ? null : new OrderFacts(id, total, DiscountCodes: codes);
    }

    private CustomerProfile? Customer(JsonElement c, StoreSettings settings, DateTimeOffset? start)
    {
        const string at = "$.customer";
        if (c.ValueKind != JsonValueKind.Object) return Fail<CustomerProfile>(at, "must be an object of profile fields");
        Unknown(c, at, CustomerFields);
        string? Field(string name) => c.TryGetProperty(name, out var v) ? Text(v, $"{at}.{name}") : null;

        var email = Field("email");
        var (firstName, lastName) = (Field("firstName"), Field("lastName"));
        if (email is not null && (email = EmailAddress.Normalise(email)) is null) Add(at + ".email", "must be an email address, e.g. ana@example.com");
        var locale = Field("locale");
        if (locale is not null && !LocalePattern().IsMatch(locale)) Add(at + ".locale", "must be a language tag, e.g. en or pt-BR");
        var country = Field("country")?.ToUpperInvariant();
        if (country is not null && !CountryPattern().IsMatch(country)) Add(at + ".country", "must be a 2-letter country code, e.g. DE");
        var zone = Field("timeZone");
        if (zone is not null && !(TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) && found.HasIanaId)) Add(at + ".timeZone", "must be an IANA time zone id, e.g. Europe/Berlin");
        var consent = Field("consent");
        if (consent is not null && !ConsentStates.Contains(consent)) Add(at + ".consent", $"must be \"{string.Join("\", \"", ConsentStates)}\"");
        var tags = c.TryGetProperty("tags", out var tg) ? Texts(tg, at + ".tags", MaxTags) : null;
        var orders = c.TryGetProperty("orders", out var os) ? PastOrders(os, at + ".orders", start) : [];
        if (start is not { } now) return null;

        var (timeZone, source) = zone is not null ? (zone, "customer")
            : CountryTimeZones.For(country) is { } inferred ? (inferred, "country") : (settings.TimeZone, "store");
        return ProfileReducer.Summarise(new CustomerProfile
        {
            StoreId = settings.StoreId,
            CustomerKey = CustomerKey,
            Email = email,
            FirstName = firstName,
            LastName = lastName,
            Locale = locale,
            Country = country,
            TimeZone = timeZone,
            TimeZoneSource = source,
            IdentityUpdatedAt = now,
            Consent = consent is null ? Consent.Unknown : new Consent(consent, "preview", now),
            Tags = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, tags ?? []),
            Orders = orders.ToImmutableSortedDictionary(o => o.Id, o => o.Entry, StringComparer.Ordinal),
            FirstSeenAt = orders.Select(o => o.Entry.At).Append(now).Min(),
            LastActivityAt = orders.Count == 0 ? null : orders.Max(o => o.Entry.At),
            UpdatedAt = now,
        });
    }

    private List<(string Id, OrderEntry Entry)> PastOrders(JsonElement list, string at, DateTimeOffset? start)
    {
        if (list.ValueKind != JsonValueKind.Array) return Fail<List<(string, OrderEntry)>>(at, "must be an array of {\"id\", \"placedAt\", \"total\"}") ?? [];
        if (list.GetArrayLength() > MaxOrders) return Fail<List<(string, OrderEntry)>>(at, $"has more than {MaxOrders} orders") ?? [];
        var orders = new List<(string Id, OrderEntry Entry)>();
        var i = 0;
        foreach (var o in list.EnumerateArray())
        {
            var path = $"{at}[{i++}]";
            if (o.ValueKind != JsonValueKind.Object)
            {
                Add(path, "must be an object {\"id\", \"placedAt\", \"total\"}");
                continue;
            }
            Unknown(o, path, PastOrderFields);
            var id = o.TryGetProperty("id", out var idValue) ? Text(idValue, path + ".id") : Fail<string>(path + ".id", "is required");
            var placedAt = o.TryGetProperty("placedAt", out var p) ? Time(p, path + ".placedAt") : FailValue<DateTimeOffset>(path + ".placedAt", "is required");
            var total = o.TryGetProperty("total", out var t) ? Amount(t, path + ".total") : null;
            if (placedAt > start) Add(path + ".placedAt", "is after the preview's start; an order during the preview is an order.placed event");
            if (id is not null && orders.Exists(x => x.Id == id)) Add(path + ".id", $"repeats order '{JourneyHttp.Quote(id)}'");
            else if (id is not null && placedAt is { } placed)
                orders.Add((id, new OrderEntry { PlacedAt = placed, FirstSeenAt = placed, Total = total, TotalAt = placed, Paid = true }));
        }
        return orders;
    }

    private void CheckTimes(DateTimeOffset start, DateTimeOffset? until, List<PreviewEvent?> events)
    {
        var previous = start;
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is not { At: var at }) continue;
            if (at < previous) Add($"$.events[{i}].at", at < start ? "is before the preview's start" : "is before the event above it; list events in time order");
            if (until is { } end && at > end) Add($"$.events[{i}].at", "is after until");
            previous = at > previous ? at : previous;
        }
        if (until is not { } last) return;
        if (last < start) Add("$.until", "is before the preview's start");
        else if (last > start.AddYears(2)) Add("$.until", "is more than 2 years after the preview's start");
    }

    private string? EventType(JsonElement value, string at)
    {
        if (Text(value, at) is not { } type) return null;
        if (type.Length > 64 || !EventPattern().IsMatch(type))
            return Fail<string>(at, "must be lower-case words joined by dots, e.g. \"order.placed\" or \"loyalty.points_earned\"");
        return EventTypes.Internal.Contains(type)
            ? Fail<string>(at, $"'{type}' is produced by the engine itself while the preview runs; it cannot be sent")
            : type;
    }
}
