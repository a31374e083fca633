using Automation.Core.Audience;
using Automation.Functions.Storage;

namespace Automation.Functions.Audience;

/// <summary>What one rebuild call did, and where the next one resumes (null when the store is done).</summary>
public sealed record RebuildResult(int Profiles, int Indexed, int Erased, string? Next);

/// <summary>
/// Fills the audience index from the profiles, for stores whose customers predate it (or after the
/// shard count changed): one streamed scan of the store's profile rows, each page's entries upserted
/// a shard at a time (up to 100 rows to a transaction), erased customers' rows deleted. A call stops
/// after about <c>max</c> profiles and answers the token the next call resumes from, so a large store
/// is rebuilt in calls that each end well inside an HTTP request's time limit.
/// <para>
/// Safe beside the live consumer, with one window: a customer whose profile changes between the moment
/// a page is read and the moment its entries are written (well under a second; pages are written as
/// soon as read) may keep the rebuild's older entry until their next indexed change.
/// </para>
/// </summary>
public sealed class AudienceRebuild(CustomerTable customers, AudienceIndex index)
{
    /// <summary>Shard batches written at once.</summary>
    private const int Parallelism = 8;

    public async Task<RebuildResult> RunAsync(string storeId, string? from, int max, CancellationToken ct)
    {
        var (profiles, indexed, erased) = (0, 0, 0);
        await foreach (var (page, next) in customers.ProfilesOfStoreAsync(storeId, from, Math.Min(max, AudienceIndex.MaxPage), ct))
        {
            var entries = new List<AudienceEntry>();
            foreach (var profile in page)
            {
                if (AudienceEntry.From(profile) is { } entry) entries.Add(entry);
                else if (profile.RedactedAt is not null)
                {
                    // A tombstone: an index row would be a leftover of a crash between erasure steps.
                    await index.DeleteAsync(storeId, profile.CustomerKey, ct);
                    erased++;
                }
            }
            await Parallel.ForEachAsync(entries.GroupBy(e => AudienceIndex.ShardOf(e.CustomerKey)), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
                async (shard, token) => await index.UpsertAsync([.. shard], token));
            profiles += page.Count;
            indexed += entries.Count;
            if (profiles >= max && next is not null) return new RebuildResult(profiles, indexed, erased, next);
        }
        return new RebuildResult(profiles, indexed, erased, null);
    }
}
