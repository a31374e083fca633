using System.Globalization;
using static Automation.Core.Journeys.Definitions.StepTypes;

namespace Automation.Core.Journeys.Definitions;

/// <summary>Checks one typed step: the members its type carries, and what each value means.</summary>
internal sealed class StepValidator(JourneyDefinition journey, JourneyCatalog catalog, ConditionValidator conditions, JourneyProblems problems)
{
    private static readonly string WeightRange = $"must be a whole number from 1 to {JourneyRules.MaxSplitWeight}";

    public void Check(JourneyStep? step, string at)
    {
        if (step is null)
        {
            problems.Add(at, "must be a step, not null");
            return;
        }

        if (step.Id is null) problems.Add(JourneyPath.Property(at, "id"), "is required: the step's id, e.g. \"wait-3-days\"");
        if (step.Type is null)
        {
            problems.Add(JourneyPath.Property(at, "type"), $"is required: one of {JourneyRules.List(All)}");
            return;
        }

        if (!StepShapes.ByType.TryGetValue(step.Type, out var shape))
        {
            problems.Add(JourneyPath.Property(at, "type"), StepShapes.UnknownType(step.Type));
            return;
        }

        foreach (var member in StepShapes.AllMembers)
        {
            var present = StepShapes.Value(step, member) is not null;
            if (present && !shape.Members.Contains(member, StringComparer.Ordinal))
                problems.Add(JourneyPath.Property(at, member), StepShapes.Unknown(shape, member));
            else if (!present && shape.Required.Contains(member, StringComparer.Ordinal))
                problems.Add(JourneyPath.Property(at, member), StepShapes.Missing(shape, member));
        }

        switch (step.Type)
        {
            case Wait: Positive(step.Duration, at, "duration"); break;
            case WaitUntil:
                JourneyValidator.Moment(step.Date, step.Holiday, step.Offset, step.TimeOfDay, at, "a waitUntil step", timeOfDayAlone: true, problems);
                break;
            case WaitForEvent:
                if (step.Event is { } e && JourneyRules.Event(e) is { } eventProblem) problems.Add(JourneyPath.Property(at, "event"), eventProblem);
                if (step.Condition is { } condition) conditions.Check(condition, JourneyPath.Property(at, "condition"));
                Positive(step.Timeout, at, "timeout");
                break;
            case Branch: Branches(step, at); break;
            case Split: Paths(step, at); break;
            case IssueCoupon:
                if (step.Pool is { } pool && !catalog.CouponPools.ContainsKey(pool))
                    problems.Add(JourneyPath.Property(at, "pool"), NotInCatalog(pool, "a coupon pool in the catalog", catalog.CouponPools.Keys, "coupon pools in journeys/catalog.json"));
                Positive(step.ValidFor, at, "validFor");
                break;
            case SendEmail: Email(step, at); break;
            case Notify:
                if (step.Webhook is { } webhook && !catalog.Webhooks.ContainsKey(webhook))
                    problems.Add(JourneyPath.Property(at, "webhook"), NotInCatalog(webhook, "a webhook in the catalog", catalog.Webhooks.Keys, "webhooks in journeys/catalog.json"));
                break;
            case UpdateProfile: Tags(step, at); break;
        }
    }

    private void Positive(string? duration, string at, string member)
    {
        if (duration is not null && JourneyRules.PositiveDuration(duration) is { } problem) problems.Add(JourneyPath.Property(at, member), problem);
    }

    private static string NotInCatalog(string name, string what, IEnumerable<string> known, string plural)
    {
        var list = known.ToList();
        var meant = JourneyRules.Closest(name, list) is { } m ? $" (did you mean '{m}'?)" : "";
        return list.Count == 0
            ? $"{JourneyRules.Quote(name)} is not {what}; there are no {plural} yet"
            : $"{JourneyRules.Quote(name)} is not {what}{meant}; the {plural} are {JourneyRules.Some(list)}";
    }

    private void Branches(JourneyStep step, string at)
    {
        if (step.Branches is not { } cases) return;
        var branchesAt = JourneyPath.Property(at, "branches");
        if (cases.Count == 0) problems.Add(branchesAt, "is an empty list; a branch step needs at least one case { \"condition\": …, \"next\": … }");
        for (var i = 0; i < cases.Count; i++)
        {
            var caseAt = JourneyPath.Index(branchesAt, i);
            if (cases[i] is not { } c)
            {
                problems.Add(caseAt, "must be a case, not null");
                continue;
            }

            if (c.Condition is null) problems.Add(JourneyPath.Property(caseAt, "condition"), "is required: when this case holds");
            else conditions.Check(c.Condition, JourneyPath.Property(caseAt, "condition"));
            if (c.Next is null) problems.Add(JourneyPath.Property(caseAt, "next"), "is required: the id of the step to go to when the condition holds");
        }
    }

    private void Paths(JourneyStep step, string at)
    {
        if (step.Paths is { } paths)
        {
            var pathsAt = JourneyPath.Property(at, "paths");
            if (paths.Count == 0) problems.Add(pathsAt, "is an empty list; a split step needs at least one path { \"id\": …, \"weight\": …, \"next\": … }");
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < paths.Count; i++)
            {
                var pathAt = JourneyPath.Index(pathsAt, i);
                if (paths[i] is not { } p)
                {
                    problems.Add(pathAt, "must be a path, not null");
                    continue;
                }

                var idAt = JourneyPath.Property(pathAt, "id");
                if (p.Id is null) problems.Add(idAt, "is required: the group's name in conversions, e.g. \"a\"");
                else if (JourneyRules.Id(p.Id, "a") is { } idProblem) problems.Add(idAt, idProblem);
                else if (!seen.TryAdd(p.Id, pathAt)) problems.Add(idAt, $"{JourneyRules.Quote(p.Id)} is also the id of {seen[p.Id]}; every path needs its own id");
                Weight(p.Weight, pathAt);
                if (p.Next is null) problems.Add(JourneyPath.Property(pathAt, "next"), "is required: the id of the step this path goes to");
            }
        }

        if (step.Holdout is { } holdout) Weight(holdout.Weight, JourneyPath.Property(at, "holdout"));
    }

    private void Weight(int weight, string at)
    {
        if (weight is < 1 or > JourneyRules.MaxSplitWeight)
            problems.Add(JourneyPath.Property(at, "weight"), string.Create(CultureInfo.InvariantCulture, $"is {weight}; a weight {WeightRange}"));
    }

    private void Email(JourneyStep step, string at)
    {
        if (step.Template is { } template && !catalog.Templates.Contains(template))
            problems.Add(JourneyPath.Property(at, "template"), NotInCatalog(template, "an email template", catalog.Templates, "templates in templates/"));

        if (step.Category is { } category && category is not (Marketing or Service))
            problems.Add(JourneyPath.Property(at, "category"), $"{JourneyRules.Quote(category)} is not an email category; write \"marketing\" (needs the customer's consent) or \"service\" (asked for by the customer)");

        if (step.Delivery is { } delivery && delivery is not (AtMostOnce or AtLeastOnce))
            problems.Add(JourneyPath.Property(at, "delivery"), $"{JourneyRules.Quote(delivery)} is not a delivery guarantee; write \"atMostOnce\" (never twice) or \"atLeastOnce\" (never lost)");

        if (step.WhenCapped is { } whenCapped && whenCapped is not (Defer or Skip))
            problems.Add(JourneyPath.Property(at, "whenCapped"), $"{JourneyRules.Quote(whenCapped)} is not what a capped email can do; write \"defer\" (wait for the earliest time the caps allow) or \"skip\" (do not send it)");

        if (step.Coupon is { } coupon)
        {
            var couponAt = JourneyPath.Property(at, "coupon");
            var issuer = journey.Step(coupon);
            if (issuer is null)
                problems.Add(couponAt, $"{JourneyRules.Quote(coupon)} is not a step of this journey; 'coupon' names the issueCoupon step whose code the email carries");
            else if (issuer.Type != IssueCoupon)
                problems.Add(couponAt, $"step {JourneyRules.Quote(coupon)} is {StepShapes.A(issuer.Type ?? "untyped")}, not an issueCoupon step; 'coupon' names the step whose code the email carries");
        }
    }

    private void Tags(JourneyStep step, string at)
    {
        if ((step.AddTags?.Count ?? 0) + (step.RemoveTags?.Count ?? 0) == 0)
        {
            problems.Add(at, "needs at least one tag in addTags or removeTags");
            return;
        }

        var added = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (list, member) in new[] { (step.AddTags, "addTags"), (step.RemoveTags, "removeTags") })
        {
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                var tagAt = JourneyPath.Index(JourneyPath.Property(at, member), i);
                if (list![i] is not { } tag) problems.Add(tagAt, "must be a tag, not null");
                else if (JourneyRules.Tag(tag) is { } problem) problems.Add(tagAt, problem);
                else if (member == "addTags") added.Add(tag);
                else if (added.Contains(tag)) problems.Add(tagAt, $"{JourneyRules.Quote(tag)} is also in addTags; a step adds a tag or removes it, not both");
            }
        }
    }
}
