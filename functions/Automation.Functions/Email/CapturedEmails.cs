using System.Globalization;
using System.Text.Json;
using Automation.Functions.Storage;
using Azure.Data.Tables;

namespace Automation.Functions.Email;

/// <summary>One captured email as <c>GET /api/outbox</c> shows it: exactly what would have gone to SendGrid.</summary>
public sealed record CapturedEmail(
    string MessageId,
    DateTimeOffset At,
    string Store,
    string Customer,
    string Template,
    string Locale,
    string Category,
    string To,
    Mailbox From,
    Mailbox? ReplyTo,
    string Subject,
    string Html,
    string Text,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<string> Categories,
    IReadOnlyDictionary<string, string> CustomArgs,
    int? AsmGroupId,
    string? DynamicTemplateId,
    JsonElement? Data);

/// <summary>
/// The <c>capturedemails</c> table: partition = store id, row key newest first, so listing a store's latest
/// emails is one range read. Kept across restarts, so what a journey sent locally can be read later.
/// </summary>
public sealed class CapturedEmails(StorageClients clients)
{
    private TableClient Table => clients.Table(StorageClients.CapturedEmailsTable);

    public async Task AddAsync(CapturedEmail email, CancellationToken ct)
    {
        // Newest first; the suffix keeps two sends of one action (at least once) apart.
        var rowKey = (DateTimeOffset.MaxValue.UtcTicks - email.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..12];
        var row = new TableEntity(email.Store, rowKey)
        {
            ["Customer"] = email.Customer,
            ["MessageId"] = email.MessageId,
            ["At"] = email.At,
        };
        JsonColumns.Write(row, "Doc", JsonSerializer.Serialize(email, Json));
        await Table.AddEntityAsync(row, ct);
    }

    /// <param name="customerKey">Only this customer's (a customer key, <c>id:…</c>/<c>em:…</c>); null: everyone's.</param>
    public async Task<IReadOnlyList<CapturedEmail>> ListAsync(string storeId, string? customerKey, int max, CancellationToken ct)
    {
        var filter = customerKey is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {storeId}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {storeId} and Customer eq {customerKey}");
        var list = new List<CapturedEmail>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: ct))
        {
            if (JsonColumns.Read(row, "Doc") is { } doc && JsonSerializer.Deserialize<CapturedEmail>(doc, Json) is { } email) list.Add(email);
            if (list.Count >= max) break;
        }
        return list;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>
/// The local stand-in for SendGrid (DESIGN.md) when no API key is configured: accepts every email and keeps it in
/// <see cref="CapturedEmails"/>, readable through <c>GET /api/outbox</c>, so journeys can be tried end to end
/// and a person can read exactly what would have been sent.
/// </summary>
public sealed class CapturingEmailSender(CapturedEmails captured, TimeProvider time) : IEmailSender
{
    public async Task<EmailResult> SendAsync(ComposedEmail email, CancellationToken ct)
    {
        var id = "captured-" + email.ActionKey;
        await captured.AddAsync(new CapturedEmail(id, time.GetUtcNow(), email.StoreId, email.CustomerKey, email.Template, email.Locale, email.Category,
            email.To, email.From, email.ReplyTo, email.Subject, email.Html, email.Text, email.Headers, email.Categories, email.CustomArgs,
            email.AsmGroupId, email.DynamicTemplateId, JsonSerializer.SerializeToElement(email.TemplateData)), ct);
        return new EmailResult(true, id);
    }
}
