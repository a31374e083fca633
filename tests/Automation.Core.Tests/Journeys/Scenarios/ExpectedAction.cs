using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;

namespace Automation.Core.Tests.Journeys.Scenarios;

/// <summary>
/// One action a scenario row expects out of the journey: what it is and, when the row says so,
/// when it is decided and what it carries. Unstated details are not checked.
/// </summary>
public sealed record ExpectedAction(string Kind, string? Name)
{
    public string? When { get; init; }
    public decimal? PercentOff { get; init; }
    public string? Validity { get; init; }
    public decimal? CouponPercentOff { get; init; }
    public bool NoCoupon { get; init; }
    public string? Category { get; init; }
    public string? Delivery { get; init; }
    public ImmutableList<(string Path, string Json)> Body { get; init; } = [];

    /// <summary>When the action is decided: an instant or a wall-clock time in a zone (see <see cref="Times"/>).</summary>
    public ExpectedAction At(string when) => this with { When = when };

    /// <summary>A coupon's validity from the moment it is issued (ISO 8601).</summary>
    public ExpectedAction ValidFor(string duration) => this with { Validity = duration };

    /// <summary>An email carrying the coupon issued for it, of this discount.</summary>
    public ExpectedAction WithCoupon(decimal percentOff) => this with { CouponPercentOff = percentOff };

    public ExpectedAction WithoutCoupon() => this with { NoCoupon = true };

    /// <summary>A service email (no marketing consent needed) sent at least once.</summary>
    public ExpectedAction AsSurvey() => this with { Category = "service", Delivery = "atLeastOnce" };

    public ExpectedAction AsService() => this with { Category = "service" };

    public ExpectedAction AsMarketing() => this with { Category = "marketing", Delivery = "atMostOnce" };

    /// <summary>A webhook body member (dotted path) with this value.</summary>
    public ExpectedAction WithBody(string path, object value) =>
        this with { Body = Body.Add((path, JsonSerializer.Serialize(value, EventJson.Options))) };

    internal IEnumerable<string> Mismatches(JourneyAction a)
    {
        if (a.Kind != Kind) { yield return $"is {a.Kind}, not {Kind}"; yield break; }
        var name = a.Template ?? a.Pool ?? a.Webhook;
        if (Name is not null && name != Name) yield return $"names {name}, not {Name}";
        if (When is { } when && a.CreatedAt != Times.Parse(when)) yield return $"is at {Times.Utc(a.CreatedAt)}, not {when} ({Times.Utc(Times.Parse(when))})";
        if (PercentOff is { } p && a.PercentOff != p) yield return $"is {a.PercentOff}% off, not {p}%";
        if (Validity is { } v && a.ExpiresAt - a.CreatedAt != Times.Duration(v)) yield return $"is valid until {a.ExpiresAt:O}, not for {v}";
        if (CouponPercentOff is { } cp && a.Coupon?.PercentOff != cp) yield return a.Coupon is null ? $"carries no coupon, not {cp}%" : $"carries {a.Coupon.PercentOff}%, not {cp}%";
        if (NoCoupon && a.Coupon is not null) yield return $"carries coupon {a.Coupon.Code}";
        if (Category is { } c && a.Category != c) yield return $"is {a.Category}, not {c}";
        if (Delivery is { } d && a.Delivery != d) yield return $"is delivered {a.Delivery}, not {d}";
        foreach (var (path, json) in Body)
        {
            var actual = Read(a.Body, path)?.ToJsonString();
            if (actual != json) yield return $"has {path} = {actual ?? "(absent)"}, not {json}";
        }
    }

    private static JsonNode? Read(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var next) ? next : null;
        return node;
    }

    public static string Describe(JourneyAction a)
    {
        var what = a.Kind switch
        {
            ActionKinds.IssueCoupon => $"coupon {a.PercentOff?.ToString(CultureInfo.InvariantCulture)}% from {a.Pool}, expires {Times.Utc(a.ExpiresAt ?? a.CreatedAt)}",
            ActionKinds.SendEmail => $"email {a.Template} ({a.Category}, {a.Delivery})" + (a.Coupon is { } c ? $" with {c.PercentOff.ToString(CultureInfo.InvariantCulture)}% coupon {c.Code}" : ""),
            _ => $"notify {a.Webhook} {a.Body?.ToJsonString()}",
        };
        return $"{Times.Utc(a.CreatedAt)} {a.Id} [{a.StepId}] {what}";
    }

    public override string ToString()
    {
        var details = new List<string>();
        if (When is not null) details.Add("at " + When);
        if (PercentOff is not null) details.Add($"{PercentOff.Value.ToString(CultureInfo.InvariantCulture)}%");
        if (Validity is not null) details.Add("valid " + Validity);
        if (CouponPercentOff is not null) details.Add($"with {CouponPercentOff.Value.ToString(CultureInfo.InvariantCulture)}% coupon");
        if (NoCoupon) details.Add("without coupon");
        if (Category is not null) details.Add(Category);
        details.AddRange(Body.Select(b => $"{b.Path}={b.Json}"));
        return $"{Kind} {Name ?? "*"}" + (details.Count > 0 ? " (" + string.Join(", ", details) + ")" : "");
    }
}
