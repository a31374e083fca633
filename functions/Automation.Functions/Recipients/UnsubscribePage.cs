using Automation.Core.Customers;
using Automation.Functions.Hosting;
using Automation.Functions.Journeys;
using Automation.Functions.Queues;
using Automation.Functions.Storage;
using Automation.Functions.Suppression;
using static Automation.Functions.Recipients.RecipientPage;

namespace Automation.Functions.Recipients;

/// <summary>
/// <c>GET/POST /api/r/unsubscribe/{token}</c>. GET only shows the choice (mail scanners follow links);
/// a POST of the form applies it; a POST of <c>List-Unsubscribe=One-Click</c> (RFC 8058, from the mail
/// client, no cookies) unsubscribes from everything at once. Both answer 200 with a page, never a redirect.
/// The suppression list is written before answering, so the next send's policy check already sees it;
/// the profile learns of it through an <c>email.unsubscribed</c> event.
/// </summary>
public static class UnsubscribePage
{
    public static async Task<IResult> GetAsync(string token, LinkTokens tokens, StoreDirectory stores, JourneyStore journeys,
        TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        if (RecipientLinks.Read(token, LinkPurposes.Unsubscribe, tokens, stores, time, Logger(logs)) is not { } link) return InvalidLink();
        var store = E(link.StoreName);
        var journeyChoice = link.Token.JourneyId is { } journeyId
            ? $"<label><input type=\"radio\" name=\"scope\" value=\"journey\"> Only {E(await JourneyNameAsync(journeys, journeyId, ct))} emails</label>"
            : "";
        return new RecipientPage(200, $"Unsubscribe from {link.StoreName}",
            $"<h1>Unsubscribe</h1><form method=\"post\"><fieldset><legend>Which emails from {store} do you no longer want?</legend>" +
            $"<label><input type=\"radio\" name=\"scope\" value=\"all\" checked> All email from {store}</label>{journeyChoice}</fieldset>" +
            "<button type=\"submit\">Unsubscribe</button></form>");
    }

    public static async Task<IResult> PostAsync(string token, HttpRequest request, LinkTokens tokens, StoreDirectory stores, JourneyStore journeys,
        CustomerTable customers, SuppressionList suppressions, IEventQueue queue, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var log = Logger(logs);
        if (RecipientLinks.Read(token, LinkPurposes.Unsubscribe, tokens, stores, time, log) is not { } link) return InvalidLink();
        var (form, problem) = await RecipientLinks.ReadFormAsync(request, ct);
        if (problem is not null) return problem;

        var oneClick = string.Equals(form!["List-Unsubscribe"], "One-Click", StringComparison.Ordinal);
        var scope = oneClick ? SuppressionEvents.ScopeAll : form["scope"].ToString() is { Length: > 0 } s ? s : SuppressionEvents.ScopeAll;
        if (scope is not (SuppressionEvents.ScopeAll or SuppressionEvents.ScopeJourney) || (scope == SuppressionEvents.ScopeJourney && link.Token.JourneyId is null))
            return BadRequest("Choose which emails to unsubscribe from: all, or only this kind.");

        try
        {
            var outcome = await ApplyAsync(link, scope, customers, suppressions, queue, time.GetUtcNow(), ct);
            Log.Unsubscribed(log, scope, link.Token.StoreId, outcome);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Everything here is idempotent (the event id is fixed per link and scope), so trying again is safe.
            Log.RecipientActionFailed(log, ex, "unsubscribe", link.Token.StoreId);
            return TryAgain();
        }

        var store = E(link.StoreName);
        var what = scope == SuppressionEvents.ScopeAll
            ? $"You will get no more marketing email from {store}."
            : $"You will get no more {E(await JourneyNameAsync(journeys, link.Token.JourneyId!, ct))} emails from {store}.";
        return new RecipientPage(200, "Unsubscribed", $"<h1>You are unsubscribed</h1><p>{what}</p>");
    }

    private static async Task<string> ApplyAsync(RecipientLink link, string scope, CustomerTable customers, SuppressionList suppressions,
        IEventQueue queue, DateTimeOffset now, CancellationToken ct)
    {
        var t = link.Token;
        var profile = (await customers.ReadStateAsync(CustomerKey.Partition(t.StoreId, t.CustomerKey), ct)).Profile;
        // Erased or never known: nothing to suppress and no one to tell; the page still says it is done.
        if (profile is null || profile.RedactedAt is not null) return "no profile";
        if (EmailAddress.Normalise(profile.Email) is { } email)
        {
            if (scope == SuppressionEvents.ScopeAll)
                await suppressions.SuppressAsync(t.StoreId, email, SuppressionReasons.Unsubscribed, Source, now, ct);
            else
                await suppressions.OptOutAsync(t.StoreId, email, t.JourneyId!, now, ct);
        }
        var id = SuppressionEvents.Id("unsub", link.Raw, scope);
        await queue.PublishAsync([SuppressionEvents.Unsubscribed(id, t.StoreId, t.CustomerKey, scope, scope == SuppressionEvents.ScopeJourney ? t.JourneyId : null,
            Source, now, now, SendData(t))], ct);
        return profile.Email is null ? "no address; consent recorded" : "suppressed";
    }

    public const string Source = "unsubscribe-link";

    private static System.Text.Json.Nodes.JsonObject? SendData(LinkToken t) =>
        t.SendId is null ? null : new() { ["send"] = t.SendId };

    internal static async Task<string> JourneyNameAsync(JourneyStore journeys, string journeyId, CancellationToken ct)
    {
        var record = await journeys.GetAsync(journeyId, ct);
        return record?.Current?.Name ?? record?.Versions.LastOrDefault()?.Definition.Name ?? journeyId;
    }

    private static ILogger Logger(ILoggerFactory logs) => logs.CreateLogger("Automation.Functions.Recipients");
}
