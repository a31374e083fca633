using System.Text.Json;
using Automation.Core.Events;
using Automation.Functions.Events;
using Automation.Functions.Hosting;
using Automation.Functions.Storage;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Queues;

/// <summary>
/// Local mode's stand-in for the Service Bus trigger: takes events off the Storage queue and
/// hands them to the same <see cref="EventProcessor"/>. A message that cannot be read, or that
/// fails <see cref="AutomationOptions.MaxDeliveryCount"/> times, is parked with its reason and
/// deleted, so it is neither lost nor retried for ever.
/// </summary>
public sealed class StorageQueueConsumer(StorageClients clients, EventProcessor processor, ParkedMessages parked, IOptions<AutomationOptions> options, ILogger<StorageQueueConsumer> log)
{
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);
    private readonly QueueClient _queue = clients.Queue(options.Value.EventsQueueName);
    private readonly int _maxDeliveries = options.Value.MaxDeliveryCount;
    private readonly double _retryBase = options.Value.RetryBaseDelaySeconds;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    /// <summary>Processes what is visible now, batch after batch, until a receive comes back empty.</summary>
    /// <returns>Messages handled (applied, duplicate or parked).</returns>
    public async Task<int> DrainAsync(CancellationToken ct, int parallelism = 8)
    {
        var handled = 0;
        while (!ct.IsCancellationRequested)
        {
            QueueMessage[] batch = await _queue.ReceiveMessagesAsync(32, Visibility, ct);
            if (batch.Length == 0) break;
            var done = 0;
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (m, token) =>
            {
                if (await HandleAsync(m, token)) Interlocked.Increment(ref done);
            });
            handled += done;
            if (done == 0) break; // everything visible failed; let the visibility timeout space the retries
        }
        return handled;
    }

    private async Task<bool> HandleAsync(QueueMessage m, CancellationToken ct)
    {
        string? failure;
        try
        {
            await processor.ProcessAsync(EventJson.Deserialize(m.Body.ToMemory().Span), ct);
            failure = null;
        }
        catch (JsonException ex)
        {
            return await ParkAsync(m, $"not a canonical event: {ex.Message}", ct);
        }
        catch (PermanentEventFailure ex)
        {
            return await ParkAsync(m, ex.Message, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            failure = $"{ex.GetType().Name}: {ex.Message}";
        }

        if (failure is null)
        {
            await _queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, ct);
            return true;
        }
        if (m.DequeueCount >= _maxDeliveries) return await ParkAsync(m, failure, ct);
        Log.MessageFailed(log, m.MessageId, m.DequeueCount, failure);
        // Exponential backoff: the message comes back after 5 s, 10 s, 20 s, … (the base is configurable).
        var delay = TimeSpan.FromSeconds(Math.Min(MaxRetryDelay.TotalSeconds, _retryBase * Math.Pow(2, m.DequeueCount - 1)));
        await _queue.UpdateMessageAsync(m.MessageId, m.PopReceipt, visibilityTimeout: delay, cancellationToken: ct);
        return false;
    }

    private async Task<bool> ParkAsync(QueueMessage m, string reason, CancellationToken ct)
    {
        await parked.ParkAsync(_queue.Name, m.MessageId, reason, m.DequeueCount, m.Body, ct);
        await _queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, ct);
        Log.MessageParked(log, m.MessageId, m.DequeueCount, reason);
        return true;
    }
}

/// <summary>
/// Runs <see cref="StorageQueueConsumer"/> in a loop when the app runs on its own. Its idle pause
/// is a polling interval on the wall clock, not business time, so it takes no TimeProvider.
/// </summary>
internal sealed class LocalConsumerLoop(StorageQueueConsumer consumer, IOptions<AutomationOptions> options, ILogger<LocalConsumerLoop> log) : BackgroundService
{
    private static readonly TimeSpan IdlePause = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunLocalConsumer || options.Value.QueueKind != "StorageQueue") return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await consumer.DrainAsync(stoppingToken) == 0)
                    await Task.Delay(IdlePause, TimeProvider.System, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.ConsumerLoopFailed(log, ex);
                await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System, stoppingToken);
            }
        }
    }
}
