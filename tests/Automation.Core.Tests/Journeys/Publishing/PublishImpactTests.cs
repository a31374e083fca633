using System.Collections.Immutable;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Core.Journeys.Publishing;
using static Automation.Core.Tests.Journeys.Publishing.JourneyDiffTests;

namespace Automation.Core.Tests.Journeys.Publishing;

public sealed class PublishImpactTests
{
    /// <summary>Version 2 drops the email step: "a-day" goes straight to "done".</summary>
    private static readonly JourneyDefinition WithoutEmail = V1 with
    {
        Steps = [V1.Steps[0] with { Next = "done" }, V1.Steps[2]],
    };

    private static PublishedJourney Published(params (JourneyDefinition Definition, MigrationPolicy Policy)[] versions) => new()
    {
        Id = "welcome",
        Version = versions.Length,
        Versions = ImmutableSortedDictionary.CreateRange(versions.Select((v, i) => KeyValuePair.Create(i + 1, v.Definition))),
        Migrations = ImmutableSortedDictionary.CreateRange(versions.Select((v, i) => KeyValuePair.Create(i + 1, v.Policy))),
    };

    private static readonly Dictionary<(int Version, string Step), int> OnV1 = new()
    {
        [(1, "a-day")] = 5,
        [(1, "email")] = 2,
    };

    [Fact]
    public void with_finish_every_instance_stays_on_its_version()
    {
        var impact = PublishImpact.Of(Published((V1, MigrationPolicy.Default)), WithoutEmail, MigrationPolicy.Default, OnV1);

        Assert.Equal(2, impact.ToVersion);
        Assert.Equal((7, 0, 7, 0), (impact.InFlight, impact.Moving, impact.Staying, impact.Exiting));
        Assert.All(impact.Steps, s => Assert.Equal((PublishImpact.Stays, 1), (s.Outcome, s.ToVersion)));
        Assert.Equal([new VersionCount(1, 7)], impact.Versions);
    }

    [Fact]
    public void with_move_instances_whose_step_exists_move_and_the_others_stay()
    {
        var impact = PublishImpact.Of(Published((V1, MigrationPolicy.Default)), WithoutEmail, new MigrationPolicy(MigrationPolicy.Move), OnV1);

        Assert.Equal((7, 5, 2, 0), (impact.InFlight, impact.Moving, impact.Staying, impact.Exiting));
        Assert.Equal(
            [new StepImpact(1, "a-day", 5, PublishImpact.Moves, 2, "version 2 has step 'a-day'"),
             new StepImpact(1, "email", 2, PublishImpact.Stays, 1, "version 2 has no step 'email'; missingStep stay keeps them on version 1")],
            impact.Steps);
    }

    [Fact]
    public void with_move_and_missing_step_exit_instances_at_a_removed_step_exit()
    {
        var impact = PublishImpact.Of(Published((V1, MigrationPolicy.Default)), WithoutEmail, new MigrationPolicy(MigrationPolicy.Move, MigrationPolicy.Exit), OnV1);

        Assert.Equal((5, 0, 2), (impact.Moving, impact.Staying, impact.Exiting));
        var gone = Assert.Single(impact.Steps, s => s.Step == "email");
        Assert.Equal(PublishImpact.Exits, gone.Outcome);
        Assert.Null(gone.ToVersion);
    }

    [Fact]
    public void an_instance_two_versions_behind_is_judged_through_the_version_between()
    {
        // v2 (move, stay) lacks "email", so the engine stops an instance at "email" on v1 there:
        // v3 bringing "email" back does not reach it.
        var published = Published((V1, MigrationPolicy.Default), (WithoutEmail, new MigrationPolicy(MigrationPolicy.Move)));

        var impact = PublishImpact.Of(published, V1, new MigrationPolicy(MigrationPolicy.Move), OnV1);

        Assert.Equal(3, impact.ToVersion);
        Assert.Equal((PublishImpact.Moves, 3), Single(impact, "a-day").Pick());
        Assert.Equal((PublishImpact.Stays, 1), Single(impact, "email").Pick());
        Assert.Contains("version 2", Single(impact, "email").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void counts_are_given_per_version()
    {
        var published = Published((V1, MigrationPolicy.Default), (V1, MigrationPolicy.Default));
        var active = new Dictionary<(int Version, string Step), int> { [(2, "email")] = 3, [(1, "a-day")] = 4, [(2, "a-day")] = 0 };

        var impact = PublishImpact.Of(published, V1, MigrationPolicy.Default, active);

        Assert.Equal([new VersionCount(1, 4), new VersionCount(2, 3)], impact.Versions);
        Assert.Equal([(1, "a-day"), (2, "email")], impact.Steps.Select(s => (s.Version, s.Step)));
    }

    [Fact]
    public void a_first_publish_has_no_instances_in_flight()
    {
        var impact = PublishImpact.Of(null, V1, MigrationPolicy.Default, new Dictionary<(int, string), int>());

        Assert.Equal(1, impact.ToVersion);
        Assert.Equal(0, impact.InFlight);
        Assert.Empty(impact.Steps);
    }

    private static StepImpact Single(PublishImpact impact, string step) => Assert.Single(impact.Steps, s => s.Step == step);
}

internal static class StepImpactExtensions
{
    public static (string Outcome, int? ToVersion) Pick(this StepImpact s) => (s.Outcome, s.ToVersion);
}
