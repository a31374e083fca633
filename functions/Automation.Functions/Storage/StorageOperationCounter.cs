using Azure.Core;
using Azure.Core.Pipeline;

namespace Automation.Functions.Storage;

/// <summary>
/// Counts every request the storage clients send, by service and kind, because storage
/// operations are what Azure bills. Each client carries the policy for its own service
/// (<see cref="Tables"/>, <see cref="Queues"/>), so nothing is guessed from URLs. Benchmarks and
/// tests read the counts; it costs one increment per request.
/// </summary>
public sealed class StorageOperationCounter
{
    private long _tableReads, _tableWrites, _queueOps;

    public StorageOperationCounter()
    {
        Tables = new Policy(m =>
        {
            if (m.Request.Method == RequestMethod.Get) Interlocked.Increment(ref _tableReads);
            else Interlocked.Increment(ref _tableWrites);
        });
        Queues = new Policy(_ => Interlocked.Increment(ref _queueOps));
    }

    /// <summary>The policy for table clients: GETs are reads, everything else writes.</summary>
    public HttpPipelinePolicy Tables { get; }

    /// <summary>The policy for queue clients.</summary>
    public HttpPipelinePolicy Queues { get; }

    public long TableReads => Interlocked.Read(ref _tableReads);
    public long TableWrites => Interlocked.Read(ref _tableWrites);
    public long QueueOperations => Interlocked.Read(ref _queueOps);
    public long Total => TableReads + TableWrites + QueueOperations;

    public void Reset()
    {
        Interlocked.Exchange(ref _tableReads, 0);
        Interlocked.Exchange(ref _tableWrites, 0);
        Interlocked.Exchange(ref _queueOps, 0);
    }

    private sealed class Policy(Action<HttpMessage> count) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => count(message);
    }
}
