using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Core.Journeys.Conditions;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Core.Tests.Journeys;

public sealed class ConditionEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly StoreSettings Store = new("s", HighValueThreshold: 300m);

    private static ConditionContext Context(int orders = 1, int lastOrderDaysAgo = 10, JsonObject? data = null, string consent = "subscribed")
    {
        var profile = ProfileReducer.Summarise(new CustomerProfile
        {
            StoreId = "s",
            CustomerKey = "id:1",
            Consent = new Consent(consent, "test", Now),
            Tags = ImmutableSortedSet.Create(StringComparer.Ordinal, "vip"),
            Orders = Enumerable.Range(0, orders).ToImmutableSortedDictionary(i => $"o{i}",
                i => new OrderEntry { PlacedAt = Now.AddDays(-lastOrderDaysAgo - i), FirstSeenAt = Now.AddDays(-lastOrderDaysAgo - i), Total = 50m }, StringComparer.Ordinal),
        });
        var e = new CustomerEvent("e1", "s", "id:1", EventTypes.SurveyAnswered, Now, Now, "api", Data: data);
        return new ConditionContext(profile, e, Store, Now);
    }

    private static bool Eval(string json, ConditionContext context) =>
        ConditionEvaluator.Evaluate(JsonSerializer.Deserialize<Condition>(json), context);

    [Theory]
    [InlineData("""{"field": "customer.orderCount", "op": "eq", "value": 1}""", true)]
    [InlineData("""{"field": "customer.orderCount", "op": "gt", "value": 1}""", false)]
    [InlineData("""{"field": "customer.totalSpent", "op": "gte", "value": 50.0}""", true)]
    [InlineData("""{"field": "customer.tier", "op": "in", "value": ["new", "active"]}""", true)]
    [InlineData("""{"field": "customer.tier", "op": "notIn", "value": ["new"]}""", false)]
    [InlineData("""{"field": "customer.consent", "op": "eq", "value": "SUBSCRIBED"}""", true)]
    [InlineData("""{"field": "customer.tags", "op": "contains", "value": "vip"}""", true)]
    [InlineData("""{"field": "customer.daysSinceLastOrder", "op": "lt", "value": 30}""", true)]
    [InlineData("""{"field": "event.type", "op": "eq", "value": "survey.answered"}""", true)]
    public void compares_profile_and_event_fields(string condition, bool expected) =>
        Assert.Equal(expected, Eval(condition, Context()));

    [Fact]
    public void reads_nested_event_data_and_combines_with_all_any_not()
    {
        var context = Context(data: new JsonObject { ["score"] = 2, ["complaint"] = new JsonObject { ["channel"] = "email" } });

        Assert.True(Eval("""{"field": "event.data.score", "op": "lte", "value": 2}""", context));
        Assert.True(Eval("""{"field": "event.data.complaint.channel", "op": "eq", "value": "email"}""", context));
        Assert.True(Eval("""{"all": [{"field": "event.data.score", "op": "lt", "value": 3}, {"not": {"field": "customer.orderCount", "op": "eq", "value": 0}}]}""", context));
        Assert.False(Eval("""{"any": [{"field": "event.data.score", "op": "gte", "value": 4}, {"field": "customer.tier", "op": "eq", "value": "dormant"}]}""", context));
    }

    [Fact]
    public void absent_fields_and_mismatched_types_are_false_never_an_error()
    {
        var context = Context(orders: 0);

        Assert.False(Eval("""{"field": "customer.daysSinceLastOrder", "op": "gt", "value": 30}""", context));
        Assert.False(Eval("""{"field": "event.data.score", "op": "eq", "value": 1}""", context));
        Assert.False(Eval("""{"field": "customer.tier", "op": "gt", "value": 3}""", context));
        Assert.True(Eval("""{"field": "event.data.score", "op": "exists", "value": false}""", context));
        Assert.True(Eval("""{"field": "customer.tier", "op": "eq", "value": "prospect"}""", context));
    }

    [Fact]
    public void tier_is_evaluated_as_of_now_not_as_stored()
    {
        Assert.True(Eval("""{"field": "customer.tier", "op": "eq", "value": "dormant"}""", Context(lastOrderDaysAgo: 200)));
        Assert.True(Eval("""{"field": "customer.tier", "op": "eq", "value": "at_risk"}""", Context(lastOrderDaysAgo: 61)));
    }

    [Fact]
    public void field_names_are_checked_against_the_known_set()
    {
        Assert.True(ConditionContext.IsKnownField("customer.tier"));
        Assert.True(ConditionContext.IsKnownField("event.data.anything"));
        Assert.False(ConditionContext.IsKnownField("customer.shoeSize"));
        Assert.False(ConditionContext.IsKnownField("event.data."));
    }
}
