using System.Diagnostics;
using System.Threading.Channels;
using Automation.Core.Audience;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Storage;
using Automation.Functions.Suppression;
using Azure.Data.Tables;

namespace Automation.Bench;

/// <summary>Rows written by a seeding, and what it took.</summary>
internal sealed record SeedCounts(long Profiles, long AudienceRows, long AudienceTransactions, long Suppressions, TimeSpan Elapsed);

/// <summary>
/// Writes generated customers straight into storage as the app keeps them, not through its events: each customer's
/// profile row (<see cref="ProfileEntity.ToEntity"/>, the row <see cref="CustomerTable.CommitAsync"/> writes, inserted
/// alone, as each customer is a partition of its own), their audience row (<see cref="AudienceEntry.From"/>, written
/// by <see cref="AudienceIndex.InsertAsync"/> 100 to a transaction as each shard fills up), and the suppressed
/// addresses through <see cref="SuppressionList"/>. One thread generates; <c>inFlight</c> workers write, behind a
/// bounded queue, so memory holds a few thousand customers, never the store. The email index is not written: a
/// broadcast does not read it.
/// <para>
/// Inserts, not upserts, because the tables start empty and because of what Azurite (LokiJS) does with a row's key:
/// it finds a row by its partition key's index and then compares the row key of every row in that partition, and an
/// upsert looks twice where an insert looks once. An audience shard holds about 31,000 rows at a million customers,
/// so seeding them is quadratic: with upserts, about an hour of Azurite's processor for the audience rows alone.
/// </para>
/// </summary>
internal sealed class BroadcastSeeder(BenchHost host, BenchCustomers generator, string storeId, int inFlight)
{
    private readonly TableClient _customers = host.Get<StorageClients>().Table(StorageClients.CustomersTable);
    private readonly AudienceIndex _audience = host.Get<AudienceIndex>();
    private readonly SuppressionList _suppressions = host.Get<SuppressionList>();
    private long _profiles, _audienceRows, _transactions, _suppressed;

    public async Task<SeedCounts> SeedAsync(SeedTally tally, Func<int, SeedCounts, string> progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var work = Channel.CreateBounded<Func<CancellationToken, Task>>(new BoundedChannelOptions(inFlight * 4) { SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var generated = 0;
        var producer = Task.Run(async () =>
        {
            try
            {
                var shards = Enumerable.Range(0, AudienceIndex.Shards).Select(_ => new List<AudienceEntry>(100)).ToArray();
                for (var n = 1; n <= tally.Customers; n++)
                {
                    var c = generator.Generate(n);
                    var entry = AudienceEntry.From(c.Profile);
                    tally.Add(c, entry);
                    await work.Writer.WriteAsync(t => WriteProfileAsync(c, t), stop.Token);
                    if (entry is not null)
                    {
                        var shard = shards[AudienceIndex.ShardOf(entry.CustomerKey)];
                        shard.Add(entry);
                        if (shard.Count == 100)
                        {
                            await work.Writer.WriteAsync(WriteAudience([.. shard]), stop.Token);
                            shard.Clear();
                        }
                    }
                    if (c.SuppressedFor is { } reason)
                        await work.Writer.WriteAsync(t => SuppressAsync(c.Profile.Email!, reason, t), stop.Token);
                    generated = n;
                }
                foreach (var rest in shards.Where(s => s.Count > 0))
                    await work.Writer.WriteAsync(WriteAudience([.. rest]), stop.Token);
                work.Writer.Complete();
            }
            catch (Exception ex)
            {
                work.Writer.TryComplete(ex);
            }
        }, CancellationToken.None);

        using var reporter = new Timer(_ => Console.Error.WriteLine(progress(Volatile.Read(ref generated), Counts(clock.Elapsed))), null,
            TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
        try
        {
            await Parallel.ForEachAsync(work.Reader.ReadAllAsync(stop.Token), new ParallelOptions { MaxDegreeOfParallelism = inFlight, CancellationToken = stop.Token },
                async (write, t) => await write(t));
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
        clock.Stop();
        return Counts(clock.Elapsed);
    }

    private SeedCounts Counts(TimeSpan elapsed) => new(
        Interlocked.Read(ref _profiles), Interlocked.Read(ref _audienceRows), Interlocked.Read(ref _transactions), Interlocked.Read(ref _suppressed), elapsed);

    private async Task WriteProfileAsync(BenchCustomer c, CancellationToken ct)
    {
        var partition = Core.Customers.CustomerKey.Partition(storeId, c.Profile.CustomerKey);
        await _customers.AddEntityAsync(ProfileEntity.ToEntity(partition, c.Profile, JourneyStates.Empty, generator.Now), ct);
        Interlocked.Increment(ref _profiles);
    }

    private Func<CancellationToken, Task> WriteAudience(AudienceEntry[] sameShard) => async ct =>
    {
        await _audience.InsertAsync(sameShard, ct);
        Interlocked.Add(ref _audienceRows, sameShard.Length);
        Interlocked.Increment(ref _transactions);
    };

    private async Task SuppressAsync(string email, string reason, CancellationToken ct)
    {
        await _suppressions.SuppressAsync(storeId, email, reason, "bench", generator.Now, ct);
        Interlocked.Increment(ref _suppressed);
    }
}
