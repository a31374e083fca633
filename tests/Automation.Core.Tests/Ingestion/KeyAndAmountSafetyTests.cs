using System.Text.Json;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Ingestion;
using Automation.Core.Ingestion.Api;

namespace Automation.Core.Tests.Ingestion;

/// <summary>Platform values that would break a table key or a sum are made safe where they enter.</summary>
public sealed class KeyAndAmountSafetyTests
{
    [Theory]
    [InlineData("1085/2")]
    [InlineData("#1085")]
    [InlineData("a?b\\c")]
    [InlineData("abc\n")]
    public void unsafe_ids_become_a_stable_safe_digest(string raw)
    {
        var safe = EventIds.Safe(raw);

        Assert.True(EventIds.IsSafe(safe));
        Assert.Equal(safe, EventIds.Safe(raw));
        Assert.Equal(safe, EventIds.Safe(safe));
    }

    [Fact]
    public void long_order_reference_fits_a_session_id()
    {
        var key = CustomerKey.ForOrder(new string('9', 2000));

        Assert.True(key.Length <= 128);
        Assert.True(CustomerKey.IsOrderReference(key, out var orderId));
        Assert.Equal(EventIds.Safe(new string('9', 2000)), orderId);
    }

    [Fact]
    public void webhook_amount_beyond_a_trillion_is_unknown_not_a_number_that_overflows_sums()
    {
        using var doc = JsonDocument.Parse("""{"a": "79228162514264337593543950335", "b": 1e27, "c": "199.99"}""");

        Assert.Null(WebhookJson.Amount(doc.RootElement, "a"));
        Assert.Null(WebhookJson.Amount(doc.RootElement, "b"));
        Assert.Equal(199.99m, WebhookJson.Amount(doc.RootElement, "c"));
    }

    [Fact]
    public void api_order_total_beyond_a_trillion_is_refused_naming_the_field()
    {
        var body = """{"type": "order.placed", "customerId": "1", "data": {"orderId": "1", "total": 79228162514264337593543950335}}"""u8;

        var result = ApiEventParser.Parse(body, "s", DateTimeOffset.UnixEpoch, () => "x");

        Assert.Empty(result.Events);
        Assert.Contains(result.Errors, e => e.Field == "data.total" && e.Message.Contains("trillion", StringComparison.Ordinal));
    }
}
