using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Automation.Bench;

/// <summary>
/// A logger provider that only counts log events by event id (see functions/…/Log.cs): 1002 is
/// a lost race for a profile, 1003/1004 a failed or parked message, 2002/2003 a refused webhook
/// or an unreachable queue. Nothing is formatted or written.
/// </summary>
internal sealed class LogCounter : ILoggerProvider, ILogger
{
    public const int Conflict = 1002, MessageFailed = 1003, MessageParked = 1004, WebhookRefused = 2002, QueueUnavailable = 2003;
    private readonly ConcurrentDictionary<int, long> _counts = new();

    public long this[int eventId] => _counts.GetValueOrDefault(eventId);

    public void Reset() => _counts.Clear();

    public ILogger CreateLogger(string categoryName) => this;

    public bool IsEnabled(LogLevel logLevel) => true;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _counts.AddOrUpdate(eventId.Id, 1, (_, n) => n + 1);

    public void Dispose() { }
}
