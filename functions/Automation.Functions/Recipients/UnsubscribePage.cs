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
    public static async Task<IResult> GetAsync(string token, HttpRequest request, LinkTokens tokens, StoreDirectory stores, JourneyStore journeys,
        CustomerTable customers, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var log = Logger(logs);
        if (RecipientLinks.Read(token, LinkPurposes.Unsubscribe, tokens, stores, time, log) is not { } link) return InvalidLink(request);
        var t = await RecipientText.ForLinkAsync(link, request, customers, stores, log, ct);
        var store = link.StoreName;
        var journeyChoice = link.Token.JourneyId is { } journeyId
            ? $"<label><input type=\"radio\" name=\"scope\" value=\"journey\"> {RecipientText.Html(t.OnlyJourney, journey: await JourneyNameAsync(journeys, journeyId, ct))}</label>"
            : "";
        return new RecipientPage(200, t, RecipientText.Text(t.UnsubscribeTitle, store),
            $"<h1>{E(t.UnsubscribeHeading)}</h1><form method=\"post\"><fieldset><legend>{RecipientText.Html(t.UnsubscribeQuestion, store)}</legend>" +
            $"<label><input type=\"radio\" name=\"scope\" value=\"all\" checked> {RecipientText.Html(t.AllEmail, store)}</label>{journeyChoice}</fieldset>" +
            $"<button type=\"submit\">{E(t.UnsubscribeButton)}</button></form>");
    }

    public static async Task<IResult> PostAsync(string token, HttpRequest request, LinkTokens tokens, StoreDirectory stores, JourneyStore journeys,
        CustomerTable customers, SuppressionList suppressions, IEventQueue queue, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var log = Logger(logs);
        if (RecipientLinks.Read(token, LinkPurposes.Unsubscribe, tokens, stores, time, log) is not { } link) return InvalidLink(request);
        var t = await RecipientText.ForLinkAsync(link, request, customers, stores, log, ct);
        var (form, problem) = await RecipientLinks.ReadFormAsync(request, t, ct);
        if (problem is not null) return problem;

        var oneClick = string.Equals(form!["List-Unsubscribe"], "One-Click", StringComparison.Ordinal);
        var scope = oneClick ? SuppressionEvents.ScopeAll : form["scope"].ToString() is { Length: > 0 } s ? s : SuppressionEvents.ScopeAll;
        if (scope is not (SuppressionEvents.ScopeAll or SuppressionEvents.ScopeJourney) || (scope == SuppressionEvents.ScopeJourney && link.Token.JourneyId is null))
            return BadRequest(t, t.ChooseScope);

        try
        {
            var outcome = await ApplyAsync(link, scope, customers, suppressions, queue, time.GetUtcNow(), ct);
            Log.Unsubscribed(log, scope, link.Token.StoreId, outcome);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Everything here is idempotent (the event id is fixed per link and scope), so trying again is safe.
            Log.RecipientActionFailed(log, ex, "unsubscribe", link.Token.StoreId);
            return TryAgain(t);
        }

        var what = scope == SuppressionEvents.ScopeAll
            ? RecipientText.Html(t.NoMoreAll, link.StoreName)
            : RecipientText.Html(t.NoMoreJourney, link.StoreName, await JourneyNameAsync(journeys, link.Token.JourneyId!, ct));
        return new RecipientPage(200, t, t.UnsubscribedTitle, $"<h1>{E(t.UnsubscribedHeading)}</h1><p>{what}</p>");
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
