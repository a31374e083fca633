using Automation.Core.Events;

namespace Automation.Core.Ingestion;

/// <summary>What a source payload turned into.</summary>
public abstract record MappingResult
{
    private MappingResult() { }

    /// <summary>Canonical events to queue (possibly none, e.g. a checkout with no email).</summary>
    public sealed record Mapped(IReadOnlyList<CustomerEvent> Events) : MappingResult;

    /// <summary>Acknowledged and not queued: an unknown topic, a status we do not track.</summary>
    public sealed record Ignored(string Reason) : MappingResult;

    /// <summary>The payload is not what the topic promises; the message names the field.</summary>
    public sealed record Invalid(string Field, string Message) : MappingResult;
}
