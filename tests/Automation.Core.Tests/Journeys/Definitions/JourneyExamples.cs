using System.Text.Json.Nodes;
using Automation.Core.Journeys.Definitions;

namespace Automation.Core.Tests.Journeys.Definitions;

/// <summary>A valid definition that uses every step type, and the catalog it names.</summary>
internal static class JourneyExamples
{
    public static readonly JourneyCatalog Catalog = new(
        new HashSet<string>(StringComparer.Ordinal) { "review-request", "come-back", "come-back-coupon" },
        new Dictionary<string, CouponPool>(StringComparer.Ordinal)
        {
            ["comeback-10"] = new() { PercentOff = 10m, ValidFor = "P14D", Prefix = "BACK10" },
        },
        new Dictionary<string, WebhookTarget>(StringComparer.Ordinal)
        {
            ["support-desk"] = new() { Description = "Opens a ticket for the support team" },
        });

    // Step indexes used by the bad-document table:
    //  0 wait-for-delivery (waitForEvent)  1 tag-undelivered (updateProfile)  2 alert-support (notify)
    //  3 settle-in (wait)  4 morning (waitUntil)  5 ask-review (sendEmail)  6 await-review (waitForEvent)
    //  7 by-score (branch)  8 test-offer (split)  9 issue-coupon (issueCoupon)  10 coupon-email (sendEmail)
    // 11 plain-email (sendEmail)  12 before-black-friday (waitUntil)  13 tag-done (updateProfile)  14 done (exit)
    public const string PostPurchase = """
        {
          "$schema": "./journey.schema.json",
          "schemaVersion": 1,
          "id": "post-purchase",
          "name": "Post-purchase follow-up",
          "description": "Ask for a review after delivery; win back the unhappy and the quiet.",
          "trigger": {
            "event": "order.placed",
            "condition": { "field": "event.order.total", "op": "gte", "value": 20 }
          },
          "audience": {
            "all": [
              { "field": "customer.tier", "op": "in", "value": ["new", "active"] },
              { "not": { "field": "customer.tags", "op": "contains", "value": "no-follow-up" } }
            ]
          },
          "reentry": { "mode": "after", "after": "P30D" },
          "maxEventAge": "P2D",
          "goals": [
            { "id": "second-order", "event": "order.placed", "condition": { "field": "customer.orderCount", "op": "gte", "value": 2 } }
          ],
          "start": "wait-for-delivery",
          "steps": [
            { "id": "wait-for-delivery", "type": "waitForEvent", "event": "order.delivered", "sameOrder": true,
              "timeout": "P14D", "next": "settle-in", "onTimeout": "tag-undelivered" },
            { "id": "tag-undelivered", "type": "updateProfile", "addTags": ["delivery-late"], "next": "alert-support" },
            { "id": "alert-support", "type": "notify", "webhook": "support-desk", "next": "done" },
            { "id": "settle-in", "type": "wait", "duration": "P3D", "next": "morning" },
            { "id": "morning", "type": "waitUntil", "timeOfDay": "10:00", "next": "ask-review" },
            { "id": "ask-review", "type": "sendEmail", "template": "review-request", "category": "service", "next": "await-review" },
            { "id": "await-review", "type": "waitForEvent", "event": "survey.answered",
              "condition": { "field": "event.data.score", "op": "exists", "value": true },
              "timeout": "P7D", "next": "by-score", "onTimeout": "test-offer" },
            { "id": "by-score", "type": "branch",
              "branches": [ { "condition": { "field": "event.data.score", "op": "lte", "value": 2 }, "next": "alert-support" } ],
              "otherwise": "test-offer" },
            { "id": "test-offer", "type": "split",
              "paths": [ { "id": "coupon", "weight": 50, "next": "issue-coupon" }, { "id": "plain", "weight": 50, "next": "plain-email" } ],
              "holdout": { "weight": 10, "next": "done" } },
            { "id": "issue-coupon", "type": "issueCoupon", "pool": "comeback-10", "validFor": "P14D", "next": "coupon-email", "onFailure": "plain-email" },
            { "id": "coupon-email", "type": "sendEmail", "template": "come-back-coupon", "coupon": "issue-coupon", "delivery": "atMostOnce", "next": "before-black-friday" },
            { "id": "plain-email", "type": "sendEmail", "template": "come-back", "category": "marketing", "delivery": "atLeastOnce", "next": "before-black-friday" },
            { "id": "before-black-friday", "type": "waitUntil", "holiday": "black-friday", "offset": "-P1D", "timeOfDay": "09:00", "next": "tag-done" },
            { "id": "tag-done", "type": "updateProfile", "addTags": ["post-purchase-done"], "removeTags": ["delivery-late"], "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """;

    public static JsonObject Document() => JsonNode.Parse(PostPurchase)!.AsObject();

    /// <summary>The example with one change made to it, as JSON text.</summary>
    public static string With(Action<JsonObject> change)
    {
        var document = Document();
        change(document);
        return document.ToJsonString();
    }

    public static JsonObject Step(this JsonObject document, int index) => document["steps"]![index]!.AsObject();
}
