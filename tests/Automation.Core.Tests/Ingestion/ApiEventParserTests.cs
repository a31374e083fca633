using System.Text;
using System.Text.Json.Nodes;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Ingestion.Api;

namespace Automation.Core.Tests.Ingestion;

public sealed class ApiEventParserTests
{
    private static readonly DateTimeOffset Received = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);

    private static ApiEventParseResult Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    private static ApiEventParseResult Parse(byte[] body)
    {
        var next = 0;
        return ApiEventParser.Parse(body, "store-1", Received, () => "gen-" + ++next);
    }

    private static CustomerEvent One(string json)
    {
        var result = Parse(json);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Events);
    }

    private static FieldError OnlyError(string json)
    {
        var result = Parse(json);
        Assert.Empty(result.Events);
        return Assert.Single(result.Errors);
    }

    private static void AssertOnlyError(string json, string field, string messagePart)
    {
        var error = OnlyError(json);
        Assert.Equal(field, error.Field);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    // --- accepted requests ---

    [Fact]
    public void single_object_becomes_one_event_from_the_api_for_the_store()
    {
        var e = One("""{"type": "product.viewed", "customerId": "c-42", "data": {"productId": "p1"}}""");

        Assert.Equal("product.viewed", e.Type);
        Assert.Equal("store-1", e.StoreId);
        Assert.Equal("api", e.Source);
        Assert.Equal("id:c-42", e.CustomerKey);
        Assert.Equal(Received, e.ReceivedAt);
        Assert.Equal("c-42", e.Customer?.ExternalId);
        Assert.Null(e.Order);
    }

    [Fact]
    public void array_becomes_events_in_the_order_sent()
    {
        var result = Parse("""
            [
              {"type": "cart.updated", "customerId": 1},
              {"type": "customer.active", "customerId": 2},
              {"type": "product.viewed", "email": "a@example.com"}
            ]
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(["cart.updated", "customer.active", "product.viewed"], result.Events.Select(e => e.Type));
        Assert.Equal(["id:1", "id:2", CustomerKey.FromEmail("a@example.com")], result.Events.Select(e => e.CustomerKey));
    }

    [Fact]
    public void integer_customer_id_beyond_2_pow_53_is_kept_exactly()
    {
        var e = One("""{"type": "product.viewed", "customerId": 9007199254740993}""");

        Assert.Equal("id:9007199254740993", e.CustomerKey);
        Assert.Equal("9007199254740993", e.Customer?.ExternalId);
    }

    [Fact]
    public void guest_is_keyed_by_email_hash_and_email_is_normalised()
    {
        var e = One("""{"type": "product.viewed", "email": "  Ada@Example.COM "}""");

        Assert.Equal(CustomerKey.FromEmail("ada@example.com"), e.CustomerKey);
        Assert.StartsWith("em:", e.CustomerKey, StringComparison.Ordinal);
        Assert.Equal("ada@example.com", e.Customer?.Email);
        Assert.Null(e.Customer?.ExternalId);
    }

    [Fact]
    public void customer_id_wins_the_key_and_both_become_facts()
    {
        var e = One("""{"type": "product.viewed", "customerId": " 77 ", "email": "ada@example.com"}""");

        Assert.Equal("id:77", e.CustomerKey);
        Assert.Equal("77", e.Customer?.ExternalId);
        Assert.Equal("ada@example.com", e.Customer?.Email);
    }

    [Fact]
    public void missing_id_and_time_are_filled_in()
    {
        var result = Parse("""[{"type": "cart.updated", "customerId": 1}, {"type": "cart.updated", "customerId": 2}]""");

        Assert.Equal(["api-gen-1", "api-gen-2"], result.Events.Select(e => e.Id));
        Assert.All(result.Events, e => Assert.Equal(Received, e.OccurredAt));
    }

    [Fact]
    public void given_id_is_kept_with_the_api_prefix()
    {
        var e = One("""{"type": "cart.updated", "customerId": 1, "id": "evt_123:a"}""");

        Assert.Equal("api-evt_123:a", e.Id);
    }

    [Fact]
    public void occurred_at_with_an_offset_is_stored_in_utc()
    {
        var e = One("""{"type": "cart.updated", "customerId": 1, "occurredAt": "2026-01-10T09:30:00.250+02:00"}""");

        Assert.Equal(new DateTimeOffset(2026, 1, 10, 7, 30, 0, 250, TimeSpan.Zero), e.OccurredAt);
        Assert.Equal(TimeSpan.Zero, e.OccurredAt.Offset);
    }

    [Fact]
    public void occurred_at_up_to_five_minutes_ahead_is_accepted_as_clock_skew()
    {
        var e = One("""{"type": "cart.updated", "customerId": 1, "occurredAt": "2026-01-10T12:05:00Z"}""");

        Assert.Equal(Received.AddMinutes(5), e.OccurredAt);
    }

    [Fact]
    public void custom_event_type_is_accepted_and_its_data_kept_as_sent()
    {
        var e = One("""{"type": "loyalty.points_earned", "customerId": 1, "data": {"points": 120, "tier": {"name": "gold"}, "tags": ["a", "b"]}}""");

        Assert.Equal("loyalty.points_earned", e.Type);
        Assert.NotNull(e.Data);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"points": 120, "tier": {"name": "gold"}, "tags": ["a", "b"]}"""), e.Data));
    }

    [Fact]
    public void accepted_event_survives_the_queue_serialisation()
    {
        var e = One("""{"type": "survey.answered", "customerId": 9007199254740993, "data": {"score": 4, "comment": "ok"}}""");

        var back = EventJson.Deserialize(EventJson.Serialize(e));

        Assert.Equal(e.Id, back.Id);
        Assert.Equal("id:9007199254740993", back.CustomerKey);
        Assert.Equal(4, back.Data?["score"]?.GetValue<int>());
        Assert.Equal("ok", back.Data?["comment"]?.GetValue<string>());
    }

    [Fact]
    public void customer_facts_come_from_data()
    {
        var e = One("""
            {"type": "customer.active", "customerId": 1, "email": "ada@example.com",
             "data": {"firstName": "Ada", "lastName": "Lovelace", "locale": "pt-BR", "country": "de", "timeZone": "Europe/Berlin"}}
            """);

        Assert.Equal(new CustomerFacts("1", "ada@example.com", "Ada", "Lovelace", "pt-BR", "DE", "Europe/Berlin"), e.Customer);
    }

    [Fact]
    public void marketing_consent_comes_from_data_with_its_source_and_time()
    {
        var e = One("""{"type": "order.placed", "customerId": 1, "occurredAt": "2026-01-09T10:00:00Z", "data": {"orderId": "o1", "total": "10.00", "consent": "subscribed"}}""");

        Assert.Equal(new ConsentFacts("subscribed", "api:order.placed", new DateTimeOffset(2026, 1, 9, 10, 0, 0, TimeSpan.Zero)), e.Customer!.Consent);
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("true")]
    public void a_consent_that_is_not_a_known_state_is_refused(string value) =>
        AssertOnlyError("""{"type": "customer.active", "customerId": 1, "data": {"consent": """ + value + "}}", "data.consent", "must be");

    [Fact]
    public void null_optional_fields_count_as_not_sent()
    {
        var e = One("""{"type": "cart.updated", "customerId": 1, "email": null, "id": null, "occurredAt": null, "data": null}""");

        Assert.Equal("api-gen-1", e.Id);
        Assert.Equal(Received, e.OccurredAt);
        Assert.Null(e.Data);
    }

    [Fact]
    public void body_with_a_byte_order_mark_is_read()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"type": "cart.updated", "customerId": 1}""")).ToArray();

        Assert.Single(Parse(body).Events);
    }

    [Fact]
    public void five_hundred_events_are_accepted()
    {
        var body = "[" + string.Join(",", Enumerable.Range(1, 500).Select(i => $$"""{"type": "cart.updated", "customerId": {{i}}}""")) + "]";

        Assert.Equal(500, Parse(body).Events.Count);
    }

    // --- orders from custom storefronts ---

    [Fact]
    public void order_placed_from_a_custom_storefront_maps_into_order_facts()
    {
        var e = One("""
            {"type": "order.placed", "customerId": 5, "id": "order-9007199254740995-placed",
             "data": {"orderId": 9007199254740995, "total": "129.90", "currency": "eur", "discountCodes": ["WELCOME10", " VIP "]}}
            """);

        Assert.Equal("9007199254740995", e.Order?.OrderId);
        Assert.Equal(129.90m, e.Order?.Total);
        Assert.Equal("EUR", e.Order?.Currency);
        Assert.Equal(["WELCOME10", "VIP"], e.Order?.DiscountCodes!);
        Assert.Null(e.Order?.RefundAmount);
    }

    [Theory]
    [InlineData("order.placed")]
    [InlineData("order.paid")]
    [InlineData("order.fulfilled")]
    [InlineData("order.delivered")]
    [InlineData("order.cancelled")]
    [InlineData("order.refunded")]
    public void every_order_type_is_accepted_with_an_order_id(string type)
    {
        var e = One($$$"""{"type": "{{{type}}}", "customerId": 5, "data": {"orderId": "A-1001", "total": 12.5}}""");

        Assert.Equal("A-1001", e.Order?.OrderId);
        Assert.Equal(12.5m, e.Order?.Total);
    }

    [Theory]
    [InlineData("order.placed")]
    [InlineData("order.delivered")]
    [InlineData("order.refunded")]
    public void order_event_without_order_id_is_refused(string type)
    {
        AssertOnlyError($$"""{"type": "{{type}}", "customerId": 5}""", "data.orderId", "is required for " + type);
    }

    [Fact]
    public void order_refunded_carries_refund_id_and_amount()
    {
        var e = One("""{"type": "order.refunded", "customerId": 5, "data": {"orderId": 1001, "refundId": 77, "amount": 20}}""");

        Assert.Equal("77", e.Order?.RefundId);
        Assert.Equal(20m, e.Order?.RefundAmount);
    }

    [Fact]
    public void order_fields_of_the_wrong_kind_are_each_named()
    {
        var result = Parse("""
            {"type": "order.refunded", "customerId": 5,
             "data": {"orderId": 10.5, "total": "12,50", "currency": "EURO", "discountCodes": ["OK", 3, ""], "refundId": "a/b", "amount": -1}}
            """);

        Assert.Empty(result.Events);
        Assert.Equal(
            ["data.orderId", "data.total", "data.currency", "data.discountCodes[1]", "data.discountCodes[2]", "data.refundId", "data.amount"],
            result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void discount_codes_must_be_an_array()
    {
        AssertOnlyError("""{"type": "order.placed", "customerId": 5, "data": {"orderId": 1, "discountCodes": "A"}}""", "data.discountCodes", "must be an array of strings");
    }

    [Theory]
    [InlineData("order.shipped")]
    [InlineData("order.created")]
    public void other_order_types_are_refused(string type)
    {
        AssertOnlyError($$$"""{"type": "{{{type}}}", "customerId": 5, "data": {"orderId": 1}}""", "type", "is not an order event");
    }

    // --- all or nothing ---

    [Fact]
    public void array_with_one_bad_event_rejects_all_and_names_the_index()
    {
        var result = Parse("""
            [
              {"type": "cart.updated", "customerId": 1},
              {"type": "cart.updated", "customerId": 2},
              {"type": "cart.updated"}
            ]
            """);

        Assert.Empty(result.Events);
        var error = Assert.Single(result.Errors);
        Assert.Equal("[2].customerId", error.Field);
        Assert.Equal("give customerId or email", error.Message);
    }

    [Fact]
    public void every_problem_in_every_event_is_listed()
    {
        var result = Parse("""
            [
              {"type": "Bad Type", "customerId": 1, "occurredAt": "2026-01-10T12:00:00"},
              {"type": "survey.answered", "email": "nope", "data": {"score": 9}, "extra": 1},
              {"type": "cart.updated", "customerId": 3}
            ]
            """);

        Assert.Empty(result.Events);
        Assert.Equal(
            ["[0].type", "[0].occurredAt", "[1].extra", "[1].email", "[1].data.score"],
            result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void array_item_that_is_not_an_object_is_named_by_index()
    {
        var result = Parse("""[{"type": "cart.updated", "customerId": 1}, 42]""");

        Assert.Empty(result.Events);
        Assert.Equal(new FieldError("[1]", "must be an event object"), Assert.Single(result.Errors));
    }

    [Fact]
    public void a_repeated_id_in_one_request_is_refused()
    {
        var result = Parse("""[{"type": "cart.updated", "customerId": 1, "id": "x"}, {"type": "cart.updated", "customerId": 2, "id": "x"}]""");

        Assert.Empty(result.Events);
        var error = Assert.Single(result.Errors);
        Assert.Equal("[1].id", error.Field);
        Assert.Contains("repeats the id of [0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void new_ids_are_not_drawn_for_a_refused_request()
    {
        var drawn = 0;
        var result = ApiEventParser.Parse(
            Encoding.UTF8.GetBytes("""[{"type": "cart.updated", "customerId": 1}, {"type": "cart.updated"}]"""),
            "store-1", Received, () => "gen-" + ++drawn);

        Assert.Empty(result.Events);
        Assert.True(drawn <= 1);
    }

    [Fact]
    public void a_flood_of_problems_is_listed_up_to_a_limit()
    {
        var body = "[" + string.Join(",", Enumerable.Repeat("""{"a": 1, "b": 2, "c": 3}""", 500)) + "]";

        var result = Parse(body);

        Assert.Empty(result.Events);
        Assert.Equal(1001, result.Errors.Count);
        Assert.Equal("$", result.Errors[^1].Field);
        Assert.Contains("1500 more problems", result.Errors[^1].Message, StringComparison.Ordinal);
    }

    // --- the body as a whole ---

    [Theory]
    [InlineData("")]
    [InlineData("  \r\n\t ")]
    public void empty_body_is_refused(string body)
    {
        Assert.Equal(new FieldError("$", "the body is empty; send an event object or an array of them"), OnlyError(body));
    }

    [Fact]
    public void malformed_json_names_line_and_byte()
    {
        var error = OnlyError("{\"type\": \"cart.updated\",\n  \"customerId\": }");

        Assert.Equal("$", error.Field);
        Assert.StartsWith("the body is not valid JSON at line 2, byte 17:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void trailing_content_after_the_json_is_malformed()
    {
        var error = OnlyError("""{"type": "cart.updated", "customerId": 1} {}""");

        Assert.Equal("$", error.Field);
        Assert.Contains("not valid JSON at line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void body_that_is_not_utf8_is_refused()
    {
        var error = OnlyError([(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}']);

        Assert.Equal(new FieldError("$", "the body is not valid UTF-8"), error);
    }

    private static FieldError OnlyError(byte[] body)
    {
        var result = Parse(body);
        Assert.Empty(result.Events);
        return Assert.Single(result.Errors);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"cart.updated\"")]
    [InlineData("null")]
    [InlineData("true")]
    public void root_that_is_neither_object_nor_array_is_refused(string body)
    {
        AssertOnlyError(body, "$", "must be an event object or an array of them");
    }

    [Fact]
    public void empty_array_is_refused()
    {
        AssertOnlyError("[]", "$", "the array is empty");
    }

    [Fact]
    public void more_than_500_events_are_refused()
    {
        var body = "[" + string.Join(",", Enumerable.Repeat("""{"type": "cart.updated", "customerId": 1}""", 501)) + "]";

        AssertOnlyError(body, "$", "has 501 events; send at most 500");
    }

    [Fact]
    public void repeated_field_names_are_refused_with_their_path()
    {
        var result = Parse("""[{"type": "cart.updated", "customerId": 1, "data": {"x": 1, "x": 2}, "customerId": 2}]""");

        Assert.Empty(result.Events);
        Assert.Equal(["[0].data.x", "[0].customerId"], result.Errors.Select(e => e.Field));
        Assert.All(result.Errors, e => Assert.Equal("appears more than once", e.Message));
    }

    [Fact]
    public void unpaired_surrogate_escape_is_refused_with_its_path()
    {
        AssertOnlyError("""{"type": "cart.updated", "customerId": 1, "data": {"note": "\uD800"}}""", "data.note", "not valid text");
    }

    // --- fields of one event ---

    [Fact]
    public void unknown_field_is_named_with_the_allowed_ones()
    {
        AssertOnlyError("""{"type": "cart.updated", "customerId": 1, "Type": "x"}""", "Type",
            "unknown field 'Type'; allowed: type, customerId, email, id, occurredAt, data");
    }

    [Fact]
    public void unknown_field_in_an_array_carries_the_index()
    {
        AssertOnlyError("""[{"type": "cart.updated", "customerId": 1}, {"type": "cart.updated", "customerId": 1, "timestamp": 1}]""", "[1].timestamp", "unknown field 'timestamp'");
    }

    [Theory]
    [InlineData("""{"customerId": 1}""", "is required")]
    [InlineData("""{"type": 7, "customerId": 1}""", "must be a string")]
    [InlineData("""{"type": "", "customerId": 1}""", "must not be empty")]
    [InlineData("""{"type": "Cart.Updated", "customerId": 1}""", "lower-case words")]
    [InlineData("""{"type": "cart..updated", "customerId": 1}""", "lower-case words")]
    [InlineData("""{"type": "1cart", "customerId": 1}""", "lower-case words")]
    [InlineData("""{"type": "cart.updated\n", "customerId": 1}""", "lower-case words")]
    [InlineData("""{"type": "a.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "customerId": 1}""", "at most 64 characters")]
    public void bad_type_is_refused(string body, string messagePart)
    {
        AssertOnlyError(body, "type", messagePart);
    }

    [Theory]
    [InlineData("journey.wakeup")]
    [InlineData("email.sent")]
    [InlineData("coupon.issued")]
    public void an_event_of_the_journey_engine_is_refused(string type) =>
        AssertOnlyError($$"""{"type": "{{type}}", "customerId": 1}""", "type", $"'{type}' is produced by the journey engine itself");

    [Theory]
    [InlineData("customer.redacted")]
    [InlineData("shop.redacted")]
    [InlineData("consent.changed")]
    [InlineData("customer.deleted")]
    public void reserved_type_is_refused(string type)
    {
        AssertOnlyError($$"""{"type": "{{type}}", "customerId": 1}""", "type",
            $"'{type}' is produced by the platform integrations and cannot be sent here");
    }

    [Theory]
    [InlineData("\"0\"", "must be 1 to 100")]
    [InlineData("\"\"", "must be 1 to 100")]
    [InlineData("\"a b\"", "must be 1 to 100")]
    [InlineData("1.5", "must be a string or an integer")]
    [InlineData("1e3", "must be a string or an integer")]
    [InlineData("true", "must be a string or an integer")]
    [InlineData("{}", "must be a string or an integer")]
    public void bad_customer_id_is_refused(string customerId, string messagePart)
    {
        AssertOnlyError($$"""{"type": "cart.updated", "customerId": {{customerId}}, "email": "ok@example.com"}""", "customerId", messagePart);
    }

    [Theory]
    [InlineData("\"not-an-address\"", "must be an email address")]
    [InlineData("\"a@b\"", "must be an email address")]
    [InlineData("42", "must be a string")]
    public void bad_email_is_refused(string email, string messagePart)
    {
        AssertOnlyError($$"""{"type": "cart.updated", "email": {{email}}}""", "email", messagePart);
    }

    [Fact]
    public void event_without_customer_id_or_email_is_refused_on_customer_id()
    {
        Assert.Equal(new FieldError("customerId", "give customerId or email"), OnlyError("""{"type": "cart.updated"}"""));
    }

    [Theory]
    [InlineData("42", "must be a string")]
    [InlineData("\"\"", "must be 1 to 80")]
    [InlineData("\"a/b\"", "must be 1 to 80")]
    [InlineData("\"abc\\n\"", "must be 1 to 80")]
    [InlineData("\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"", "must be 1 to 80")]
    public void bad_id_is_refused(string id, string messagePart)
    {
        AssertOnlyError($$"""{"type": "cart.updated", "customerId": 1, "id": {{id}}}""", "id", messagePart);
    }

    [Fact]
    public void occurred_at_without_an_offset_is_refused()
    {
        Assert.Equal(
            new FieldError("occurredAt", "give a UTC offset, e.g. 2026-01-10T12:00:00Z"),
            OnlyError("""{"type": "cart.updated", "customerId": 1, "occurredAt": "2026-01-10T12:00:00"}"""));
    }

    [Theory]
    [InlineData("\"2026-01-10\"", "must be an ISO 8601 date and time")]
    [InlineData("\"10/01/2026 12:00\"", "must be an ISO 8601 date and time")]
    [InlineData("\"2026-02-30T12:00:00Z\"", "is not a date and time that exists")]
    [InlineData("1768046400", "must be a string")]
    public void bad_occurred_at_is_refused(string occurredAt, string messagePart)
    {
        AssertOnlyError($$"""{"type": "cart.updated", "customerId": 1, "occurredAt": {{occurredAt}}}""", "occurredAt", messagePart);
    }

    [Fact]
    public void occurred_at_more_than_five_minutes_ahead_is_in_the_future()
    {
        AssertOnlyError("""{"type": "cart.updated", "customerId": 1, "occurredAt": "2026-01-10T14:05:01+02:00"}""", "occurredAt", "is in the future");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("3")]
    public void data_that_is_not_an_object_is_refused(string data)
    {
        AssertOnlyError($$"""{"type": "cart.updated", "customerId": 1, "data": {{data}}}""", "data", "must be an object");
    }

    [Fact]
    public void data_larger_than_16_kib_is_refused()
    {
        var big = new string('x', 16 * 1024);

        AssertOnlyError($$$"""{"type": "cart.updated", "customerId": 1, "data": {"note": "{{{big}}}"}}""", "data", "must be at most 16 KiB");
    }

    [Fact]
    public void complaint_requires_a_complaint_id_and_keeps_it_as_a_string()
    {
        AssertOnlyError("""{"type": "complaint.opened", "customerId": 1, "data": {}}""", "data.complaintId", "is required for complaint.opened");
        AssertOnlyError("""{"type": "complaint.closed", "customerId": 1}""", "data.complaintId", "is required for complaint.closed");

        var e = One("""{"type": "complaint.opened", "customerId": 1, "data": {"complaintId": 9007199254740993, "reason": "late"}}""");

        Assert.Equal("9007199254740993", e.Data?["complaintId"]?.GetValue<string>());
        Assert.Equal("late", e.Data?["reason"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("5")]
    public void survey_score_from_1_to_5_is_accepted(string score)
    {
        var e = One($$$"""{"type": "survey.answered", "customerId": 1, "data": {"score": {{{score}}}}}""");

        Assert.Equal(int.Parse(score, System.Globalization.CultureInfo.InvariantCulture), e.Data?["score"]?.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"score": 0}""", "must be an integer from 1 to 5")]
    [InlineData("""{"score": 6}""", "must be an integer from 1 to 5")]
    [InlineData("""{"score": 2.5}""", "must be an integer from 1 to 5")]
    [InlineData("""{"score": "3"}""", "must be an integer from 1 to 5")]
    [InlineData("""{}""", "is required for survey.answered")]
    public void bad_survey_score_is_named(string data, string messagePart)
    {
        AssertOnlyError($$"""{"type": "survey.answered", "customerId": 1, "data": {{data}}}""", "data.score", messagePart);
    }

    [Fact]
    public void survey_score_error_in_an_array_carries_the_index()
    {
        var result = Parse("""[{"type": "cart.updated", "customerId": 1}, {"type": "survey.answered", "customerId": 1, "data": {"score": 7}}]""");

        Assert.Equal("[1].data.score", Assert.Single(result.Errors).Field);
    }

    [Theory]
    [InlineData("""{"firstName": 5}""", "data.firstName", "must be a string")]
    [InlineData("""{"lastName": ["x"]}""", "data.lastName", "must be a string")]
    [InlineData("""{"locale": "english"}""", "data.locale", "must be a language tag")]
    [InlineData("""{"locale": 1}""", "data.locale", "must be a string")]
    [InlineData("""{"country": "DEU"}""", "data.country", "2-letter country code")]
    [InlineData("""{"timeZone": "Mars/Olympus_Mons"}""", "data.timeZone", "IANA time zone id")]
    [InlineData("""{"timeZone": "W. Europe Standard Time"}""", "data.timeZone", "IANA time zone id")]
    [InlineData("""{"timeZone": "../../etc/passwd"}""", "data.timeZone", "IANA time zone id")]
    public void bad_customer_field_in_data_is_named(string data, string field, string messagePart)
    {
        AssertOnlyError($$"""{"type": "customer.active", "customerId": 1, "data": {{data}}}""", field, messagePart);
    }

    [Fact]
    public void unusual_unknown_field_names_are_quoted_in_the_path()
    {
        AssertOnlyError("""{"type": "cart.updated", "customerId": 1, "cart total": 3}""", "['cart total']", "unknown field 'cart total'");
    }
}
