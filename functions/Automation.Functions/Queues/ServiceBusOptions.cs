namespace Automation.Functions.Queues;

/// <summary>Settings under <c>Automation:ServiceBus</c> (environment: <c>Automation__ServiceBus__…</c>).</summary>
public sealed class ServiceBusOptions
{
    public const string Section = "Automation:ServiceBus";

    /// <summary>Fully qualified namespace, e.g. <c>myns.servicebus.windows.net</c>; also names the resource a SAS token signs.</summary>
    public string Namespace { get; set; } = "";

    /// <summary>The session-enabled queue that carries events (session id = customer partition).</summary>
    public string QueueName { get; set; } = "events";

    /// <summary>Base address to send to instead of <c>https://{Namespace}/</c> (tests, emulators), e.g. <c>http://127.0.0.1:5555/</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Name of a SAS rule with Send rights; with <see cref="SasKey"/> it replaces the Entra token (managed identity).</summary>
    public string? SasKeyName { get; set; }

    /// <summary>Key of the SAS rule named by <see cref="SasKeyName"/>. A secret: keep it in Key Vault or app settings, never in files.</summary>
    public string? SasKey { get; set; }

    /// <summary>Seconds one HTTP call to Service Bus may take before it counts as a transient failure.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Largest message (body and broker properties) and batch request, in bytes: 256 KB on Standard, more on Premium.</summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>Send a customer's events in one batch request. Turn off for a partitioned queue with duplicate
    /// detection, which refuses batches of distinct message ids.</summary>
    public bool BatchSend { get; set; } = true;

    /// <summary>Sessions sent at the same time by one publish (a sweep's wake-ups go to as many sessions as customers).</summary>
    public int Parallelism { get; set; } = 16;

    internal bool UsesSas => !string.IsNullOrEmpty(SasKeyName) && !string.IsNullOrEmpty(SasKey);
}
