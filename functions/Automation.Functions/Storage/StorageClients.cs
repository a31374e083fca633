using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Automation.Functions.Storage;

/// <summary>
/// Table and queue clients for the <c>AzureWebJobsStorage</c> account: a connection string
/// locally (Azurite), or <c>AzureWebJobsStorage__accountName</c> with a managed identity in
/// Azure, chosen by configuration alone. Names carry an optional prefix so that test runs
/// sharing one emulator do not see each other.
/// </summary>
public sealed class StorageClients
{
    public const string CustomersTable = "customers";
    public const string EmailIndexTable = "emails";
    public const string ParkedTable = "parked";
    public const string OrderIndexTable = "orders";
    public const string JourneysTable = "journeys";
    public const string TimersTable = "timers";
    public const string SuppressionsTable = "suppressions";
    public const string CouponsTable = "coupons";
    public const string StatsTable = "stats";
    public const string CapturedEmailsTable = "capturedemails";
    public const string ProviderEventsTable = "providerevents";
    public const string QuotasTable = "quotas";
    public const string HolidaysTable = "holidays";
    public const string AudienceTable = "audience";
    public const string BroadcastsTable = "broadcasts";

    public static readonly IReadOnlyList<string> AllTables =
    [
        CustomersTable, EmailIndexTable, OrderIndexTable, ParkedTable, JourneysTable, TimersTable,
        SuppressionsTable, CouponsTable, StatsTable, CapturedEmailsTable, ProviderEventsTable, QuotasTable, HolidaysTable, AudienceTable, BroadcastsTable,
    ];

    private readonly TableServiceClient _tables;
    private readonly QueueServiceClient _queues;
    private readonly string _prefix;

    public StorageClients(IConfiguration config, StorageOperationCounter counter)
    {
        _prefix = config["Automation:StoragePrefix"] ?? "";
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(counter.Tables, HttpPipelinePosition.PerCall);
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        queueOptions.AddPolicy(counter.Queues, HttpPipelinePosition.PerCall);

        var accountName = config["AzureWebJobsStorage:accountName"];
        if (!string.IsNullOrEmpty(accountName))
        {
            var credential = AzureIdentity.Credential(config);
            _tables = new TableServiceClient(new Uri($"https://{accountName}.table.core.windows.net"), credential, tableOptions);
            _queues = new QueueServiceClient(new Uri($"https://{accountName}.queue.core.windows.net"), credential, queueOptions);
        }
        else
        {
            var connection = config["AzureWebJobsStorage"] is { Length: > 0 } c ? c : "UseDevelopmentStorage=true";
            _tables = new TableServiceClient(connection, tableOptions);
            _queues = new QueueServiceClient(connection, queueOptions);
        }
    }

    public TableClient Table(string name) => _tables.GetTableClient(_prefix + name);

    public QueueClient Queue(string name) => _queues.GetQueueClient(_prefix.ToLowerInvariant() + name);

    /// <summary>Creates every table and queue the app uses; idempotent, run once at start-up.</summary>
    public async Task EnsureCreatedAsync(IEnumerable<string> queues, CancellationToken ct)
    {
        foreach (var t in AllTables)
            await Table(t).CreateIfNotExistsAsync(ct);
        foreach (var q in queues)
            await Queue(q).CreateIfNotExistsAsync(cancellationToken: ct);
    }
}
