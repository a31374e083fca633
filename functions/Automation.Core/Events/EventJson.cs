using System.Text.Json;
using System.Text.Json.Serialization;

namespace Automation.Core.Events;

/// <summary>The one JSON shape of queued events and stored documents: camelCase, no nulls.</summary>
public static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static byte[] Serialize(CustomerEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, Options);

    /// <summary>Reads a queued event; throws <see cref="JsonException"/> when it is not one.</summary>
    public static CustomerEvent Deserialize(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<CustomerEvent>(utf8, Options) ?? throw new JsonException("The message is JSON null, not an event.");
}
