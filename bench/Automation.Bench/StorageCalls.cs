using System.Collections.Concurrent;
using System.Diagnostics;

namespace Automation.Bench;

/// <summary>
/// Counts the Azure SDK's client calls by name (<c>TableClient.GetEntityIfExists</c>,
/// <c>QueueClient.DeleteMessage</c>, …) from the diagnostic events every Azure client emits, so a
/// storage figure can be traced to the calls behind it. <c>StorageOperationCounter</c> stays the
/// figure of record; this only names what it counted.
/// </summary>
internal sealed class StorageCalls : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string Start = ".Start";
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _subscriptions = [];
    private readonly IDisposable _all;

    /// <summary>Subscribe before the app builds its storage clients.</summary>
    public StorageCalls() => _all = DiagnosticListener.AllListeners.Subscribe(this);

    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    public void Reset() => _counts.Clear();

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        // Azure.Data.Tables and Azure.Storage.Queues; not ASP.NET Core's or HttpClient's events.
        if (!listener.Name.StartsWith("Azure.", StringComparison.Ordinal) || listener.Name == "Azure.Core") return;
        lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> e)
    {
        if (e.Key.EndsWith(Start, StringComparison.Ordinal) && !e.Key.StartsWith("Azure.Core", StringComparison.Ordinal))
            _counts.AddOrUpdate(e.Key[..^Start.Length], 1, (_, n) => n + 1);
    }

    void IObserver<DiagnosticListener>.OnCompleted() { }
    void IObserver<DiagnosticListener>.OnError(Exception error) { }
    void IObserver<KeyValuePair<string, object?>>.OnCompleted() { }
    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error) { }

    public void Dispose()
    {
        _all.Dispose();
        lock (_subscriptions) _subscriptions.ForEach(s => s.Dispose());
    }
}
