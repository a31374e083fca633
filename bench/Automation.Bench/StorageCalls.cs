using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;

namespace Automation.Bench;

/// <summary>
/// Counts the Azure SDK's client calls by name (<c>TableClient.GetEntityIfExists</c>,
/// <c>QueueClient.DeleteMessage</c>, …) from the diagnostic events every Azure client emits, so a
/// storage figure can be traced to the calls behind it. It also counts each HTTP request the
/// pipeline sends by that call and the table or queue it goes to (<c>TableClient.UpsertEntity
/// timers</c>), from Azure.Core's per-request event, whose payload is the request itself.
/// <c>StorageOperationCounter</c> stays the figure of record; this only names what it counted.
/// </summary>
internal sealed class StorageCalls : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string Start = ".Start";
    private const string RequestStart = "Azure.Core.Http.Request.Start";
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _subscriptions = [];
    private readonly IDisposable _all;
    private readonly string _prefix;

    /// <summary>Subscribe before the app builds its storage clients.</summary>
    /// <param name="storagePrefix">The app's <c>Automation:StoragePrefix</c>, left off table and queue names.</param>
    public StorageCalls(string storagePrefix)
    {
        _prefix = storagePrefix;
        _all = DiagnosticListener.AllListeners.Subscribe(this);
    }

    /// <summary>Client calls by name.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    /// <summary>HTTP requests by client call and table or queue (<c>$batch</c> for a transaction).</summary>
    public IReadOnlyDictionary<string, long> ByTarget() => new SortedDictionary<string, long>(_requests, StringComparer.Ordinal);

    public void Reset()
    {
        _counts.Clear();
        _requests.Clear();
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        // Azure.Data.Tables, Azure.Storage.Queues and Azure.Core's pipeline; not ASP.NET Core's or HttpClient's events.
        if (!listener.Name.StartsWith("Azure.", StringComparison.Ordinal)) return;
        lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> e)
    {
        if (e.Key == RequestStart)
        {
            // The request's activity is current; its parent is the client call's (TableClient.UpsertEntity).
            if (e.Value is HttpMessage message && Activity.Current?.Parent?.OperationName is { } call)
                _requests.AddOrUpdate($"{call} {Target(message.Request.Uri.Path)}", 1, (_, n) => n + 1);
            return;
        }
        if (e.Key.EndsWith(Start, StringComparison.Ordinal) && !e.Key.StartsWith("Azure.Core", StringComparison.Ordinal))
            _counts.AddOrUpdate(e.Key[..^Start.Length], 1, (_, n) => n + 1);
    }

    /// <summary><c>/devstoreaccount1/benchtimers(PartitionKey='…',RowKey='…')</c> → <c>timers</c>.</summary>
    private string Target(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2) return "?";
        var name = segments[1];
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0) name = name[..paren];
        return name.StartsWith(_prefix, StringComparison.OrdinalIgnoreCase) ? name[_prefix.Length..] : name;
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
