using Azure.Core;
using Azure.Core.Pipeline;

namespace Automation.Functions.Storage;

/// <summary>
/// Counts every request the storage clients send, by service and kind, because storage
/// operations are what Azure bills. Benchmarks and tests read it; it costs one increment.
/// </summary>
public sealed class StorageOperationCounter : HttpPipelineSynchronousPolicy
{
    private long _tableReads, _tableWrites, _queueOps;

    public long TableReads => Interlocked.Read(ref _tableReads);
    public long TableWrites => Interlocked.Read(ref _tableWrites);
    public long QueueOperations => Interlocked.Read(ref _queueOps);
    public long Total => TableReads + TableWrites + QueueOperations;

    public override void OnSendingRequest(HttpMessage message)
    {
        var host = message.Request.Uri.Host ?? "";
        var path = message.Request.Uri.Path ?? "";
        var isQueue = host.Contains(".queue.", StringComparison.Ordinal) || path.Contains("/messages", StringComparison.Ordinal);
        if (isQueue) Interlocked.Increment(ref _queueOps);
        else if (message.Request.Method == RequestMethod.Get) Interlocked.Increment(ref _tableReads);
        else Interlocked.Increment(ref _tableWrites);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _tableReads, 0);
        Interlocked.Exchange(ref _tableWrites, 0);
        Interlocked.Exchange(ref _queueOps, 0);
    }
}
