using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Automation.Bench;

/// <summary>
/// A logger provider that only counts log events by event id (see functions/…/Log.cs): 1002 is
/// a lost race for a profile, 1003/1004 a failed or parked message, 2002/2003 a refused webhook
/// or an unreachable queue. For the journey figures it also tallies a few of their values
/// (<c>Type</c> of an applied event, <c>Outcome</c>, <c>Kind</c> of a dispatched action), so a
/// phase can say how many wake-ups, results, coupons and emails it handled. Nothing is formatted
/// or written.
/// </summary>
internal sealed class LogCounter : ILoggerProvider, ILogger
{
    public const int Applied = 1000, Conflict = 1002, MessageFailed = 1003, MessageParked = 1004, WebhookRefused = 2002, QueueUnavailable = 2003;
    public const int ActionDispatched = 4004, ActionRetry = 4005;

    /// <summary>The outcome <c>EventProcessor</c> logs for an engine event no journey acted on (a stale wake-up).</summary>
    public const string NothingActed = "no journey acted on it";

    private static readonly HashSet<string> Tallied = new(StringComparer.Ordinal) { "Type", "Outcome", "Kind" };
    private readonly ConcurrentDictionary<int, long> _counts = new();
    private readonly ConcurrentDictionary<(int, string, string), long> _tallies = new();

    public long this[int eventId] => _counts.GetValueOrDefault(eventId);

    /// <summary>How many events <paramref name="eventId"/> had <paramref name="name"/> = <paramref name="value"/>.</summary>
    public long this[int eventId, string name, string value] => _tallies.GetValueOrDefault((eventId, name, value));

    public void Reset()
    {
        _counts.Clear();
        _tallies.Clear();
    }

    public ILogger CreateLogger(string categoryName) => this;

    public bool IsEnabled(LogLevel logLevel) => true;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _counts.AddOrUpdate(eventId.Id, 1, (_, n) => n + 1);
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values) return;
        foreach (var (name, value) in values)
            if (value is string s && Tallied.Contains(name))
                _tallies.AddOrUpdate((eventId.Id, name, s), 1, (_, n) => n + 1);
    }

    public void Dispose() { }
}
