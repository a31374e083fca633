using System.Text.Json.Nodes;
using Automation.Core.Journeys.Definitions;
using static Automation.Core.Tests.Journeys.Definitions.JourneyExamples;

namespace Automation.Core.Tests.Journeys.Definitions;

/// <summary>
/// One change to the valid example per row, and where the problem must be reported and what its
/// message must say. Other problems caused by the same change (a step no longer reached) may be
/// reported too, at other paths.
/// </summary>
public sealed class JourneyBadDocumentTests
{
    private static JsonObject Cond(string field, string op, JsonNode? value) => new() { ["field"] = field, ["op"] = op, ["value"] = value };

    public static TheoryData<string, string, string, string> BadDocuments()
    {
        var rows = new TheoryData<string, string, string, string>();
        void Add(string name, Action<JsonObject> change, string path, string message) => rows.Add(name, With(change), path, message);
        void Text(string name, string json, string path, string message) => rows.Add(name, json, path, message);

        // The document's shape (phase 1).
        Text("root is a list", "[]", "$", "must be a journey object");
        Text("malformed json", "{\"id\": }", "$", "is not valid JSON at line 1, position 8");
        Text("a member twice", PostPurchase.Replace("\"schemaVersion\": 1,", "\"schemaVersion\": 1, \"schemaVersion\": 1,", StringComparison.Ordinal),
            "$.schemaVersion", "appears more than once");
        Text("unpaired surrogate", PostPurchase.Replace("\"Post-purchase follow-up\"", "\"\\uD800\"", StringComparison.Ordinal), "$.name", "is not valid text");
        Add("misspelt top-level member", d => d["trigerr"] = true, "$.trigerr", "unknown field 'trigerr' in a journey; a journey has: $schema, schemaVersion, id, name, description, trigger, audience, reentry, maxEventAge, priority, goals, start, steps (did you mean 'trigger'?)");
        Add("missing schemaVersion", d => d.Remove("schemaVersion"), "$.schemaVersion", "is required: write \"schemaVersion\": 1");
        Add("schemaVersion as a string", d => d["schemaVersion"] = "1", "$.schemaVersion", "must be 1, the only version there is, not the string '1'");
        Add("description as a number", d => d["description"] = 5, "$.description", "must be a string, not the number 5");
        Add("null name", d => d["name"] = null, "$.name", "must be a string, not null");
        Add("steps as an object", d => d["steps"] = new JsonObject(), "$.steps", "must be a list of steps");
        Add("misspelt wait member", d => d.Step(3)["durration"] = d.Step(3)["duration"]!.DeepClone(), "$.steps[3].durration",
            "unknown field 'durration' for a wait step; a wait step has: id, type, duration, next (did you mean 'duration'?)");
        Add("member of another step type", d => d.Step(3)["timeout"] = "P1D", "$.steps[3].timeout",
            "unknown field 'timeout' for a wait step; a wait step has: id, type, duration, next ('timeout' belongs to waitForEvent steps)");
        Add("next on a split", d => d.Step(8)["next"] = "done", "$.steps[8].next", "unknown field 'next' for a split step");
        Add("unknown step type", d => d.Step(3)["type"] = "sleep", "$.steps[3].type",
            "unknown step type 'sleep'; the step types are wait, waitUntil, waitForEvent, branch, split, issueCoupon, sendEmail, notify, updateProfile, exit");
        Add("misspelt step type", d => d.Step(3)["type"] = "wiat", "$.steps[3].type", "unknown step type 'wiat'; the step types are wait, waitUntil, waitForEvent, branch, split, issueCoupon, sendEmail, notify, updateProfile, exit (did you mean 'wait'?)");
        Add("step without a type", d => d.Step(3).Remove("type"), "$.steps[3].type", "is required: one of wait, waitUntil");
        Add("waitForEvent without timeout", d => d.Step(0).Remove("timeout"), "$.steps[0].timeout", "a waitForEvent step needs 'timeout'");
        Add("issueCoupon without pool", d => d.Step(9).Remove("pool"), "$.steps[9].pool", "an issueCoupon step needs 'pool'");
        Add("sameOrder as text", d => d.Step(0)["sameOrder"] = "yes", "$.steps[0].sameOrder", "must be true or false, not the string 'yes'");
        Add("fractional weight", d => d.Step(8)["paths"]![0]!["weight"] = 1.5, "$.steps[8].paths[0].weight", "must be a whole number from 1 to 10000, not the number 1.5");
        Add("tags as one string", d => d.Step(1)["addTags"] = "vip", "$.steps[1].addTags", "must be a list of strings, not the string 'vip'");
        Add("misspelt condition member", d => d["trigger"]!["condition"]!["valu"] = 3, "$.trigger.condition.valu", "unknown field 'valu' in a condition");
        Add("null condition value", d => d["audience"] = Cond("customer.tier", "eq", null), "$.audience.value", "is null; to test that a field is absent");
        Add("object condition value", d => d["trigger"]!["condition"]!["value"] = new JsonObject(), "$.trigger.condition.value", "must be a string, a number, true or false, or a list of them; not an object");
        Add("list item that is an object", d => d["audience"]!["all"]![0]!["value"] = new JsonArray("new", new JsonObject()), "$.audience.all[0].value[1]", "must be a string, a number, true or false, not an object");
        Add("goal without event", d => d["goals"]![0]!.AsObject().Remove("event"), "$.goals[0].event", "is required");

        // What the values mean (phase 2).
        Add("schemaVersion 2", d => d["schemaVersion"] = 2, "$.schemaVersion", "is 2, but only version 1 exists");
        Add("id with spaces", d => d["id"] = "Post Purchase", "$.id", "'Post Purchase' is not a valid id");
        Add("empty name", d => d["name"] = "", "$.name", "must not be empty");
        Add("long name", d => d["name"] = new string('n', 201), "$.name", "is 201 characters long; keep it to 200");
        Add("engine event as trigger", d => d["trigger"]!["event"] = "coupon.issued", "$.trigger.event", "'coupon.issued' is produced by the engine itself");
        Add("malformed event name", d => d["trigger"]!["event"] = "OrderPlaced", "$.trigger.event", "'OrderPlaced' is not an event name");
        Add("event and schedule", d => d["trigger"]!["schedule"] = new JsonObject { ["date"] = "2026-11-27" }, "$.trigger.schedule", "cannot go with 'event'");
        Add("empty trigger", d => d["trigger"] = new JsonObject(), "$.trigger", "needs an event");
        Add("condition on a schedule", d => d["trigger"] = new JsonObject
        {
            ["schedule"] = new JsonObject { ["date"] = "2026-11-27" },
            ["condition"] = Cond("customer.tier", "eq", "vip"),
        }, "$.trigger.condition", "goes only with an event trigger");
        Add("unknown holiday", d => d["trigger"] = new JsonObject { ["schedule"] = new JsonObject { ["holiday"] = "xmas" } },
            "$.trigger.schedule.holiday", "'xmas' is not a holiday we know; the holidays are new-year, valentines-day");
        Add("holidays with a holiday", d => d["trigger"] = new JsonObject { ["schedule"] = new JsonObject
        {
            ["holiday"] = "christmas",
            ["holidays"] = new JsonArray(new JsonObject { ["holiday"] = "black-friday", ["offset"] = "-P7D" }),
        } }, "$.trigger.schedule.holidays", "cannot go with 'date', 'holiday' or 'offset'");
        Add("empty holidays", d => d["trigger"] = new JsonObject { ["schedule"] = new JsonObject { ["holidays"] = new JsonArray() } },
            "$.trigger.schedule.holidays", "is empty");
        Add("a holiday listed twice", d => d["trigger"] = new JsonObject { ["schedule"] = new JsonObject
        {
            ["holidays"] = new JsonArray(new JsonObject { ["holiday"] = "christmas", ["offset"] = "-P10D" }, new JsonObject { ["holiday"] = "christmas" }),
        } }, "$.trigger.schedule.holidays[1].holiday", "'christmas' is also $.trigger.schedule.holidays[0]");
        Add("unknown holiday in a list", d => d["trigger"] = new JsonObject { ["schedule"] = new JsonObject
        {
            ["holidays"] = new JsonArray(new JsonObject { ["holiday"] = "xmas", ["offset"] = "-P10D" }),
        } }, "$.trigger.schedule.holidays[0].holiday", "'xmas' is not a holiday we know");
        Add("holiday list item without a holiday", d => d["trigger"] = new JsonObject { ["schedule"] = new JsonObject
        {
            ["holidays"] = new JsonArray(new JsonObject { ["offset"] = "-P10D" }),
        } }, "$.trigger.schedule.holidays[0].holiday", "is required");
        Add("unknown member of a scheduled holiday", d => d["trigger"] = new JsonObject { ["schedule"] = new JsonObject
        {
            ["holidays"] = new JsonArray(new JsonObject { ["holiday"] = "christmas", ["when"] = "-P10D" }),
        } }, "$.trigger.schedule.holidays[0].when", "");
        Add("offset with a date", d => d["trigger"] = new JsonObject { ["schedule"] = new JsonObject { ["date"] = "2026-11-27", ["offset"] = "-P1D" } },
            "$.trigger.schedule.offset", "goes only with 'holiday'");
        Add("date that does not exist", d => d["trigger"] = new JsonObject { ["schedule"] = new JsonObject { ["date"] = "2026-02-30" } },
            "$.trigger.schedule.date", "'2026-02-30' is not a date");
        Add("unknown reentry mode", d => d["reentry"]!["mode"] = "sometimes", "$.reentry.mode", "'sometimes' is not a re-entry mode");
        Add("reentry after without after", d => d["reentry"]!.AsObject().Remove("after"), "$.reentry.after", "is required when mode is 'after'");
        Add("after with mode once", d => d["reentry"]!["mode"] = "once", "$.reentry.after", "goes only with mode 'after'");
        Add("zero maxEventAge", d => d["maxEventAge"] = "P0D", "$.maxEventAge", "'P0D' must be longer than zero");
        Add("wait in months", d => d.Step(3)["duration"] = "P1M", "$.steps[3].duration", "uses years or months");
        Add("negative wait", d => d.Step(3)["duration"] = "-P1D", "$.steps[3].duration", "'-P1D' must be longer than zero");
        Add("timeout that is not a duration", d => d.Step(0)["timeout"] = "soon", "$.steps[0].timeout", "\"soon\" is not an ISO 8601 duration");
        Add("zero validity", d => d.Step(9)["validFor"] = "PT0S", "$.steps[9].validFor", "'PT0S' must be longer than zero");
        Add("offset in years", d => d.Step(12)["offset"] = "-P1Y", "$.steps[12].offset", "uses years or months");
        Add("time of day 25:00", d => d.Step(4)["timeOfDay"] = "25:00", "$.steps[4].timeOfDay", "'25:00' is not a time of day");
        Add("waitUntil with date and holiday", d => d.Step(12)["date"] = "2026-11-20", "$.steps[12].holiday", "cannot go with 'date'");
        Add("waitUntil with nothing to wait for", d => d.Step(4).Remove("timeOfDay"), "$.steps[4]", "a waitUntil step needs a timeOfDay");
        Add("engine event awaited", d => d.Step(6)["event"] = "email.sent", "$.steps[6].event", "'email.sent' is produced by the engine itself, so it cannot start a journey or be awaited by one");
        Add("no steps", d => d["steps"] = new JsonArray(), "$.steps", "needs at least one step");
        Add("start names no step", d => d["start"] = "welcome", "$.start", "'welcome' is not a step of this journey");
        Add("duplicate step id", d => d.Step(11)["id"] = "coupon-email", "$.steps[11].id", "'coupon-email' is also the id of $.steps[10]");
        Add("next to nowhere", d => d.Step(3)["next"] = "mornin", "$.steps[3].next", "goes to 'mornin', which is not a step of this journey (did you mean 'morning'?)");
        Add("steps cut off by a broken goto are one problem", d => d.Step(3)["next"] = "mornin", "$.steps[4]",
            "step 'morning' can never be reached from the start step 'wait-for-delivery' (nor can the 9 steps after it)");
        Add("branch case to nowhere", d => d.Step(7)["branches"]![0]!["next"] = "nowhere", "$.steps[7].branches[0].next", "goes to 'nowhere', which is not a step of this journey");
        Add("holdout to nowhere", d => d.Step(8)["holdout"]!["next"] = "nowhere", "$.steps[8].holdout.next", "goes to 'nowhere'");
        Add("onTimeout to nowhere", d => d.Step(0)["onTimeout"] = "nowhere", "$.steps[0].onTimeout", "goes to 'nowhere'");
        Add("step never reached", d => d["steps"]!.AsArray().Add(new JsonObject { ["id"] = "orphan", ["type"] = "exit" }),
            "$.steps[15]", "step 'orphan' can never be reached from the start step 'wait-for-delivery'");
        Add("loop without a wait", d => d.Step(2)["next"] = "tag-undelivered", "$.steps[1]",
            "steps tag-undelivered → alert-support → tag-undelivered form a loop with no wait in it; it would run forever at once");
        Add("longer loop without a wait", d =>
        {
            d.Step(13)["next"] = "tag-undelivered";
            d.Step(2)["next"] = "tag-done";
        }, "$.steps[1]", "steps tag-undelivered → alert-support → tag-done → tag-undelivered form a loop with no wait in it");
        Add("step going to itself", d => d.Step(13)["next"] = "tag-done", "$.steps[13]", "step 'tag-done' goes to itself with no wait in between");
        Add("unknown coupon pool", d => d.Step(9)["pool"] = "comeback-15", "$.steps[9].pool", "'comeback-15' is not a coupon pool in the catalog (did you mean 'comeback-10'?); the coupon pools in journeys/catalog.json are comeback-10");
        Add("unknown template", d => d.Step(5)["template"] = "review", "$.steps[5].template", "'review' is not an email template");
        Add("coupon from a wait step", d => d.Step(10)["coupon"] = "settle-in", "$.steps[10].coupon", "step 'settle-in' is a wait step, not an issueCoupon step");
        Add("coupon from no step", d => d.Step(10)["coupon"] = "coupon-x", "$.steps[10].coupon", "'coupon-x' is not a step of this journey");
        Add("coupon email not after its coupon", d => d.Step(11)["coupon"] = "issue-coupon", "$.steps[11].coupon", "never comes after step 'issue-coupon' has issued its code");
        Add("unknown category", d => d.Step(5)["category"] = "promo", "$.steps[5].category", "'promo' is not an email category");
        Add("unknown delivery", d => d.Step(10)["delivery"] = "exactlyOnce", "$.steps[10].delivery", "'exactlyOnce' is not a delivery guarantee");
        Add("unknown whenCapped", d => d.Step(5)["whenCapped"] = "drop", "$.steps[5].whenCapped", "'drop' is not what a capped email can do; write \"defer\" (wait for the earliest time the caps allow) or \"skip\" (do not send it)");
        Add("whenCapped on a wait step", d => d.Step(3)["whenCapped"] = "skip", "$.steps[3].whenCapped", "unknown field 'whenCapped' for a wait step");
        Add("priority above 100", d => d["priority"] = 101, "$.priority", "is 101; a priority must be a whole number from 0 to 100 (default 50; higher goes first)");
        Add("negative priority", d => d["priority"] = -1, "$.priority", "is -1; a priority must be a whole number from 0 to 100");
        Add("priority as text", d => d["priority"] = "high", "$.priority", "must be a whole number from 0 to 100 (default 50; higher goes first), not the string 'high'");
        Add("fractional priority", d => d["priority"] = 50.5, "$.priority", "must be a whole number from 0 to 100");
        Add("unknown webhook", d => d.Step(2)["webhook"] = "crm", "$.steps[2].webhook", "'crm' is not a webhook in the catalog");
        Add("bad tag", d => d.Step(1)["addTags"] = new JsonArray("VIP!"), "$.steps[1].addTags[0]", "'VIP!' is not a valid tag");
        Add("no tags at all", d => d.Step(1)["addTags"] = new JsonArray(), "$.steps[1]", "needs at least one tag in addTags or removeTags");
        Add("tag added and removed", d => d.Step(13)["removeTags"] = new JsonArray("post-purchase-done"), "$.steps[13].removeTags[0]", "'post-purchase-done' is also in addTags");
        Add("zero weight", d => d.Step(8)["paths"]![1]!["weight"] = 0, "$.steps[8].paths[1].weight", "is 0; a weight must be a whole number from 1 to 10000");
        Add("duplicate path id", d => d.Step(8)["paths"]![1]!["id"] = "coupon", "$.steps[8].paths[1].id", "'coupon' is also the id of $.steps[8].paths[0]");
        Add("no paths", d => d.Step(8)["paths"] = new JsonArray(), "$.steps[8].paths", "is an empty list; a split step needs at least one path");
        Add("no branch cases", d => d.Step(7)["branches"] = new JsonArray(), "$.steps[7].branches", "is an empty list; a branch step needs at least one case");
        Add("duplicate goal id", d => d["goals"]!.AsArray().Add(new JsonObject { ["id"] = "second-order", ["event"] = "order.paid" }),
            "$.goals[1].id", "'second-order' is also the id of $.goals[0]");
        Add("engine event as goal", d => d["goals"]![0]!["event"] = "email.sent", "$.goals[0].event", "'email.sent' is produced by the engine itself");

        // Conditions.
        Add("unknown condition field", d => d["audience"]!["all"]![0]!["field"] = "customer.teir", "$.audience.all[0].field",
            "unknown field 'customer.teir' (did you mean 'customer.tier'?); the fields are customer.tier");
        Add("unknown field names event.data", d => d["trigger"]!["condition"]!["field"] = "order.total", "$.trigger.condition.field", "and event.data.<name> for the event's own data");
        Add("unknown operator", d => d["trigger"]!["condition"]!["op"] = "greater", "$.trigger.condition.op", "'greater' is not an operator; the operators are eq, ne, gt, gte, lt, lte, in, notIn, exists, contains");
        Add("missing operator", d => d["trigger"]!["condition"]!.AsObject().Remove("op"), "$.trigger.condition.op", "is required with 'field'");
        Add("in with one value", d => d["audience"]!["all"]![0]!["value"] = "new", "$.audience.all[0].value", "must be a list of values with op 'in'");
        Add("in with no values", d => d["audience"]!["all"]![0]!["value"] = new JsonArray(), "$.audience.all[0].value", "is an empty list; op 'in' needs at least one value");
        Add("gt with a word", d => d["trigger"]!["condition"]!["value"] = "lots", "$.trigger.condition.value", "'lots' is not a number or a date");
        Add("exists with text", d => d.Step(6)["condition"]!["value"] = "yes", "$.steps[6].condition.value", "must be true or false with op 'exists'");
        Add("eq with a list", d => d["goals"]![0]!["condition"] = Cond("customer.tier", "eq", new JsonArray("vip")), "$.goals[0].condition.value", "to compare with a list of values, use op 'in'");
        Add("missing value", d => d["trigger"]!["condition"]!.AsObject().Remove("value"), "$.trigger.condition.value", "is required with op 'gte'");
        Add("field and all together", d => d["trigger"]!["condition"]!["all"] = new JsonArray(Cond("customer.tier", "eq", "vip")),
            "$.trigger.condition.all", "cannot go with 'field' in one condition");
        Add("empty condition", d => d["goals"]![0]!["condition"] = new JsonObject(), "$.goals[0].condition", "is empty; a condition has a field");
        Add("empty all", d => d["audience"]!["all"] = new JsonArray(), "$.audience.all", "is an empty list; \"all\" needs at least one condition");
        Add("op without field", d => d["audience"]!["op"] = "eq", "$.audience.op", "goes only with 'field'");
        Add("branch case without condition", d => d.Step(7)["branches"]![0]!.AsObject().Remove("condition"), "$.steps[7].branches[0].condition", "is required: when this case holds");
        return rows;
    }

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public void a_bad_document_is_refused_at_the_path_of_the_problem(string change, string json, string path, string message)
    {
        var result = JourneyReader.Read(json, Catalog);

        Assert.False(result.IsValid, change);
        var problems = result.Problems.Where(p => p.Path == path).ToList();
        Assert.True(problems.Count == 1, $"{change}: expected one problem at {path}; got\n{string.Join("\n", result.Problems.Select(p => $"{p.Path}: {p.Message}"))}");
        Assert.Contains(message, problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void the_table_has_at_least_forty_rows() => Assert.True(BadDocuments().Count() >= 40);
}
