namespace Automation.Core.Journeys.Definitions;

/// <summary>
/// One thing wrong with a journey definition: where (a JSON path such as <c>$.steps[3].timeout</c>)
/// and what, in words a marketer can act on, naming the offending value.
/// </summary>
public sealed record JourneyProblem(string Path, string Message);

/// <summary>
/// What <see cref="JourneyReader"/> made of a document: the definition when the document could be
/// read, and every problem found. A definition with problems must not be published or run.
/// </summary>
public sealed record JourneyReadResult(JourneyDefinition? Definition, IReadOnlyList<JourneyProblem> Problems)
{
    public bool IsValid => Definition is not null && Problems.Count == 0;
}
