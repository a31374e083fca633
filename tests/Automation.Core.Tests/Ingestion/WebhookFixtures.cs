using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Core.Ingestion;

namespace Automation.Core.Tests.Ingestion;

/// <summary>Recorded-shape payloads from <c>Payloads/{platform}/</c> and deliveries around them.</summary>
internal static class WebhookFixtures
{
    public const string StoreId = "store-1";
    public const string DeliveryId = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043";
    public static readonly DateTimeOffset ReceivedAt = new(2026, 4, 1, 12, 0, 0, TimeSpan.Zero);

    public static byte[] Bytes(string platform, string file) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", platform, file));

    /// <param name="edit">Changes the fixture before it is handed over, for variants of one recorded shape.</param>
    public static JsonElement Load(string platform, string file, Action<JsonObject>? edit = null)
    {
        var bytes = Bytes(platform, file);
        if (edit is null)
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }

        var node = JsonNode.Parse(bytes)!.AsObject();
        edit(node);
        return Parse(node.ToJsonString());
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static WebhookDelivery Delivery(string topic, JsonElement payload, DateTimeOffset? triggeredAt = null, string deliveryId = DeliveryId) =>
        new(StoreId, topic, deliveryId, payload, ReceivedAt, triggeredAt);

    public static IReadOnlyList<CustomerEvent> MappedEvents(MappingResult result) =>
        Assert.IsType<MappingResult.Mapped>(result).Events;

    public static CustomerEvent Single(MappingResult result) => Assert.Single(MappedEvents(result));

    public static DateTimeOffset Utc(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);
}
