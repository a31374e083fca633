using System.Text.Json.Nodes;
using Automation.Core.Journeys.Conditions;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Publishing;

namespace Automation.Core.Tests.Journeys.Publishing;

public sealed class JourneyDiffTests
{
    internal static readonly JourneyDefinition V1 = new()
    {
        Id = "welcome",
        Name = "Welcome",
        Trigger = new JourneyTrigger { Event = "order.placed" },
        Goals = [new JourneyGoal { Id = "second", Event = "order.placed" }],
        Steps =
        [
            new JourneyStep { Id = "a-day", Type = StepTypes.Wait, Duration = "P1D", Next = "email" },
            new JourneyStep { Id = "email", Type = StepTypes.SendEmail, Template = "welcome", Next = "done" },
            new JourneyStep { Id = "done", Type = StepTypes.Exit },
        ],
    };

    private static JourneyDefinition WithStep(JourneyDefinition d, string id, Func<JourneyStep, JourneyStep> change) =>
        d with { Steps = [.. d.Steps.Select(s => s.Id == id ? change(s) : s)] };

    [Fact]
    public void the_same_definition_has_an_empty_diff()
    {
        var copy = V1 with { Steps = [.. V1.Steps], Goals = [.. V1.Goals] };

        var diff = JourneyDiff.Between(V1, copy);

        Assert.True(diff.IsEmpty);
    }

    [Fact]
    public void a_changed_step_names_each_member_that_differs()
    {
        var v2 = WithStep(V1, "email", s => s with { Template = "welcome-2", Category = StepTypes.Service });

        var diff = JourneyDiff.Between(V1, v2);

        var changed = Assert.Single(diff.Steps.Changed);
        Assert.Equal("email", changed.Id);
        Assert.Equal(["template", "category"], changed.Members);
        Assert.Empty(diff.Steps.Added);
        Assert.Empty(diff.Steps.Removed);
        Assert.Empty(diff.Members);
    }

    [Fact]
    public void a_member_set_in_the_old_version_and_absent_in_the_new_counts_as_changed()
    {
        var withCoupon = WithStep(V1, "email", s => s with { Coupon = "c" });

        var diff = JourneyDiff.Between(withCoupon, V1);

        Assert.Equal(["coupon"], Assert.Single(diff.Steps.Changed).Members);
    }

    [Fact]
    public void steps_added_and_removed_are_matched_by_id_not_position()
    {
        var v2 = V1 with
        {
            Steps =
            [
                new JourneyStep { Id = "a-day", Type = StepTypes.Wait, Duration = "P1D", Next = "coupon" },
                new JourneyStep { Id = "coupon", Type = StepTypes.IssueCoupon, Pool = "ten", Next = "done" },
                new JourneyStep { Id = "done", Type = StepTypes.Exit },
            ],
        };

        var diff = JourneyDiff.Between(V1, v2);

        Assert.Equal(["coupon"], diff.Steps.Added);
        Assert.Equal(["email"], diff.Steps.Removed);
        Assert.Equal(["next"], Assert.Single(diff.Steps.Changed, c => c.Id == "a-day").Members);
        Assert.Single(diff.Steps.Changed);
    }

    [Fact]
    public void reordering_steps_changes_nothing_but_the_effective_start()
    {
        var v2 = V1 with { Steps = [V1.Steps[1], V1.Steps[0], V1.Steps[2]] };

        var diff = JourneyDiff.Between(V1, v2);

        Assert.Equal(["start"], diff.Members);
        Assert.True(diff.Steps.IsEmpty);
        Assert.True(JourneyDiff.Between(V1, v2 with { Start = "a-day" }).IsEmpty);
    }

    [Fact]
    public void trigger_audience_reentry_and_goals_changes_are_named()
    {
        var v2 = V1 with
        {
            Trigger = new JourneyTrigger { Event = "order.placed", Condition = new Condition { Field = "customer.orderCount", Op = "eq", Value = JsonValue.Create(1) } },
            Audience = new Condition { Field = "customer.consent", Op = "eq", Value = JsonValue.Create("subscribed") },
            Reentry = new Reentry { Mode = Reentry.OnceMode },
            Goals = [new JourneyGoal { Id = "second", Event = "order.paid" }, new JourneyGoal { Id = "review", Event = "review.posted" }],
        };

        var diff = JourneyDiff.Between(V1, v2);

        Assert.Equal(["trigger", "audience", "reentry", "goals"], diff.Members);
        Assert.Equal(["review"], diff.Goals.Added);
        Assert.Equal(["event"], Assert.Single(diff.Goals.Changed).Members);
        Assert.True(diff.Steps.IsEmpty);
    }

    [Fact]
    public void a_condition_value_differing_deep_inside_is_found()
    {
        static Condition Tiers(params string[] tiers) => new()
        {
            All = [new Condition { Field = "customer.tier", Op = "in", Value = new JsonArray([.. tiers.Select(t => JsonValue.Create(t))]) }],
        };
        var before = WithStep(V1, "email", s => s with { Type = StepTypes.Branch, Branches = [new BranchCase { Condition = Tiers("active", "vip"), Next = "done" }], Otherwise = "done", Next = null });
        var after = WithStep(V1, "email", s => s with { Type = StepTypes.Branch, Branches = [new BranchCase { Condition = Tiers("active"), Next = "done" }], Otherwise = "done", Next = null });

        Assert.Equal(["branches"], Assert.Single(JourneyDiff.Between(before, after).Steps.Changed).Members);
        Assert.True(JourneyDiff.Between(before, before with { }).IsEmpty);
    }

    [Fact]
    public void against_no_published_version_everything_is_new()
    {
        var diff = JourneyDiff.Between(null, V1);

        Assert.Equal(["a-day", "email", "done"], diff.Steps.Added);
        Assert.Equal(["second"], diff.Goals.Added);
        Assert.Contains("trigger", diff.Members);
        Assert.Contains("name", diff.Members);
        Assert.Contains("start", diff.Members);
        Assert.False(diff.IsEmpty);
    }
}
