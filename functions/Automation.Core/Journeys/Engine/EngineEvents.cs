using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Events;

namespace Automation.Core.Journeys.Engine;

/// <summary>
/// The engine's own events: wake-ups from timers and results of outbox actions. They travel the
/// same queue as storefront events, to the same customer, so they are applied exactly once in the
/// same transaction discipline. Their ids are deterministic, so a repeat is a duplicate.
/// </summary>
public static class EngineEvents
{
    public static CustomerEvent WakeUp(string storeId, string customerKey, string journeyId, string token, DateTimeOffset dueAt, DateTimeOffset now) =>
        new($"wake.{journeyId}.{token}", storeId, customerKey, EventTypes.JourneyWakeUp, dueAt, now, "engine",
            Data: new JsonObject { ["journey"] = journeyId, ["token"] = token });

    /// <summary>
    /// A customer's entry into one broadcast of a scheduled journey: one id per journey and occasion, so a
    /// customer enters each broadcast once however often it is planned or sent. <paramref name="data"/> is
    /// kept as the run's trigger (templates read the occasion from it); <c>journey</c> is set here.
    /// </summary>
    public static CustomerEvent Scheduled(string storeId, string customerKey, string journeyId, string occasion, DateTimeOffset dueAt, DateTimeOffset now, JsonObject data)
    {
        data["journey"] = journeyId;
        data["occasion"] = occasion;
        return new CustomerEvent(ScheduledId(journeyId, occasion), storeId, customerKey, EventTypes.JourneyScheduled, dueAt, now, "engine", Data: data);
    }

    public static string ScheduledId(string journeyId, string occasion) => $"sched.{journeyId}.{occasion}";

    /// <summary>The result of an outbox action; <paramref name="details"/> carries e.g. the coupon code or the failure reason.</summary>
    public static CustomerEvent Result(string storeId, string customerKey, JourneyAction action, string type, DateTimeOffset now, JsonObject? details = null)
    {
        var data = details ?? [];
        data["journey"] = action.JourneyId;
        data["run"] = action.Run;
        data["step"] = action.StepId;
        data["action"] = action.Id;
        return new CustomerEvent($"res.{action.Id}", storeId, customerKey, type, now, now, "engine", Data: data);
    }

    // Event data is read both as parsed from the queue's JSON and as built in process (where a
    // JsonValue may wrap a DateTimeOffset or a decimal), so values are read through their JSON text.
    public static string? Text(CustomerEvent e, string name) =>
        e.Data?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? JsonSerializer.Deserialize<string>(v.ToJsonString()) : null;

    public static int? Int(CustomerEvent e, string name) =>
        Number(e, name) is { } d && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d : null;

    public static decimal? Decimal(CustomerEvent e, string name) => Number(e, name);

    public static DateTimeOffset? Time(CustomerEvent e, string name) =>
        Text(e, name) is { } s && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static decimal? Number(CustomerEvent e, string name) =>
        e.Data?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && decimal.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>The part of an event an instance keeps: no personal data, and event data only when small.</summary>
    public static EventRef Ref(CustomerEvent e)
    {
        var data = e.Data is { } d && d.ToJsonString().Length <= 2048 ? (JsonObject)d.DeepClone() : null;
        return new EventRef(e.Id, e.Type, e.OccurredAt, e.Order?.OrderId, e.Order?.Total, data);
    }
}
