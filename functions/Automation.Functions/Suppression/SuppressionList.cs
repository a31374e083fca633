using Automation.Core.Customers;
using Automation.Functions.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Suppression;

/// <summary>Why an address may not be mailed. Persisted: names never change.</summary>
public static class SuppressionReasons
{
    /// <summary>The recipient unsubscribed from every email of the store.</summary>
    public const string Unsubscribed = "unsubscribed";
    public const string Bounced = "bounced", Dropped = "dropped", SpamReport = "spamreport";

    /// <summary>On the store's block list (bad actors), put there by an admin.</summary>
    public const string Blocked = "blocked";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Unsubscribed, Bounced, Dropped, SpamReport, Blocked };
}

/// <summary>One address's entry: suppressed for a reason, and/or opted out of some journeys only.</summary>
/// <param name="Email">The address as given (personal data: never log it).</param>
/// <param name="Reason">Null when not suppressed as a whole (only <paramref name="OptedOut"/> applies).</param>
/// <param name="OptedOut">Journeys the recipient asked not to get email from ("just this kind of message").</param>
public sealed record SuppressionEntry(string Email, string? Reason, string? Source, DateTimeOffset? At, IReadOnlySet<string> OptedOut)
{
    public bool Suppressed => Reason is not null;
}

/// <summary>
/// The per-store suppression list, table <c>suppressions</c>: partition = store id, row key = the
/// hash of the normalised address (addresses may hold characters keys may not), one row per address.
/// Read once before every send (the policy gate), so an unsubscribe is honoured before the next send
/// whatever the customer's profile says yet.
/// </summary>
public sealed class SuppressionList(StorageClients clients)
{
    private readonly TableClient _table = clients.Table(StorageClients.SuppressionsTable);

    public async Task<SuppressionEntry?> GetAsync(string storeId, string email, CancellationToken ct)
    {
        if (Key(email) is not { } key) return null;
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(storeId, key, cancellationToken: ct);
        return row.HasValue && row.Value is { } e ? FromEntity(e) : null;
    }

    /// <summary>Suppresses the address. A block (an admin's decision) is not replaced by a provider's reason.</summary>
    public Task SuppressAsync(string storeId, string email, string reason, string source, DateTimeOffset at, CancellationToken ct) =>
        ChangeAsync(storeId, email, e => e.Reason == SuppressionReasons.Blocked && reason != SuppressionReasons.Blocked
            ? e : e with { Reason = reason, Source = source, At = at }, ct);

    /// <summary>Lifts a suppression (an admin unblocking, or a recipient who subscribes again); journey opt-outs stay.</summary>
    public Task LiftAsync(string storeId, string email, CancellationToken ct) =>
        ChangeAsync(storeId, email, e => e with { Reason = null, Source = null, At = null }, ct);

    /// <summary>Opts the address out of one journey's email only.</summary>
    public Task OptOutAsync(string storeId, string email, string journeyId, DateTimeOffset at, CancellationToken ct) =>
        ChangeAsync(storeId, email, e => e.OptedOut.Contains(journeyId) ? e : e with { OptedOut = new HashSet<string>(e.OptedOut) { journeyId }, At = e.At ?? at }, ct);

    /// <summary>The store's suppressed addresses (not the journey-only opt-outs), oldest key first, paged.</summary>
    public async Task<(IReadOnlyList<SuppressionEntry> Entries, string? Next)> ListAsync(string storeId, string? reason, int max, string? after, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {storeId} and RowKey gt {after ?? ""}");
        filter += reason is null ? " and Reason ne ''" : TableClient.CreateQueryFilter($" and Reason eq {reason}");
        var entries = new List<SuppressionEntry>();
        string? last = null;
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: ct))
        {
            entries.Add(FromEntity(row));
            last = row.RowKey;
            if (entries.Count == max) return (entries, last);
        }
        return (entries, null);
    }

    private async Task ChangeAsync(string storeId, string email, Func<SuppressionEntry, SuppressionEntry> change, CancellationToken ct)
    {
        var key = Key(email) ?? throw new ArgumentException("not an email address", nameof(email));
        for (var attempt = 0; ; attempt++)
        {
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(storeId, key, cancellationToken: ct);
            var existing = row.HasValue && row.Value is { } e ? e : null;
            var before = existing is null ? new SuppressionEntry(email.Trim(), null, null, null, new HashSet<string>()) : FromEntity(existing);
            var after = change(before);
            if (ReferenceEquals(after, before)) return;
            var entity = ToEntity(storeId, key, after);
            try
            {
                if (existing is null) await _table.AddEntityAsync(entity, ct);
                else await _table.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, ct);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 5)
            {
                // Another change got there first: apply ours to what it wrote.
            }
        }
    }

    private static string? Key(string email) => EmailAddress.Normalise(email) is { } n ? CustomerKey.EmailHash(n) : null;

    private static SuppressionEntry FromEntity(TableEntity e) => new(
        e.GetString("Email") ?? "",
        e.GetString("Reason") is { Length: > 0 } r ? r : null,
        e.GetString("Source"),
        e.GetDateTimeOffset("At"),
        (e.GetString("OptedOut") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));

    private static TableEntity ToEntity(string storeId, string key, SuppressionEntry s) => new(storeId, key)
    {
        ["Email"] = s.Email,
        ["Reason"] = s.Reason ?? "",
        ["Source"] = s.Source,
        ["At"] = s.At,
        ["OptedOut"] = string.Join(' ', s.OptedOut.Order(StringComparer.Ordinal)),
    };
}
