namespace Automation.Functions.Queues;

/// <summary>
/// An event the queue can never take (too large with its headers, an id too long): retrying cannot help, so
/// callers answer it as the sender's problem or park it, never as "try again later".
/// </summary>
public sealed class EventRefusedException(string eventId, string message) : Exception(message)
{
    public string EventId { get; } = eventId;
}
