using System.Globalization;
using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Functions.Hosting;
using Automation.Functions.Queues;
using Automation.Functions.Storage;
using Automation.Functions.Suppression;
using static Automation.Functions.Recipients.RecipientPage;

namespace Automation.Functions.Recipients;

/// <summary>
/// <c>GET/POST /api/r/survey/{token}?score=N</c>. The email's links 1 to 5 open the page with that score
/// chosen; only the POST records it (mail scanners prefetch links), as a <c>survey.answered</c> event
/// for the journey waiting for it. Answering again from the same link is a new event: the latest counts.
/// </summary>
public static class SurveyPage
{
    public static async Task<IResult> GetAsync(string token, HttpRequest request, LinkTokens tokens, StoreDirectory stores, CustomerTable customers,
        TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var log = Logger(logs);
        if (RecipientLinks.Read(token, LinkPurposes.Survey, tokens, stores, time, log) is not { } link) return InvalidLink(request);
        var text = await RecipientText.ForLinkAsync(link, request, customers, stores, log, ct);
        var chosen = ParseScore(request.Query["score"]);
        var options = string.Concat(Enumerable.Range(1, 5).Select(n =>
            $"<label><input type=\"radio\" name=\"score\" value=\"{n}\"{(n == chosen ? " checked" : "")} required> {n}</label>"));
        return new RecipientPage(200, text, RecipientText.Text(text.SurveyTitle, link.StoreName),
            $"<h1>{E(text.SurveyHeading)}</h1><form method=\"post\"><fieldset class=\"scores\"><legend>{RecipientText.Html(text.SurveyQuestion, link.StoreName)}" +
            $"</legend>{options}</fieldset><button type=\"submit\">{E(text.SurveyButton)}</button></form>");
    }

    public static async Task<IResult> PostAsync(string token, HttpRequest request, LinkTokens tokens, StoreDirectory stores, CustomerTable customers,
        IEventQueue queue, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var log = Logger(logs);
        if (RecipientLinks.Read(token, LinkPurposes.Survey, tokens, stores, time, log) is not { } link) return InvalidLink(request);
        var text = await RecipientText.ForLinkAsync(link, request, customers, stores, log, ct);
        var (form, problem) = await RecipientLinks.ReadFormAsync(request, text, ct);
        if (problem is not null) return problem;
        if (ParseScore(form!["score"]) is not { } score) return BadRequest(text, text.BadScore);

        var t = link.Token;
        var now = time.GetUtcNow();
        // One id per link, score and minute: a double-click dedupes, a changed answer is a new event.
        var id = SuppressionEvents.Id("survey", link.Raw, score.ToString(CultureInfo.InvariantCulture), now.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture));
        var data = new JsonObject { ["score"] = score };
        if (t.SendId is not null) data["send"] = t.SendId;
        if (t.JourneyId is not null) data["journey"] = t.JourneyId;
        try
        {
            await queue.PublishAsync([new CustomerEvent(id, t.StoreId, t.CustomerKey, EventTypes.SurveyAnswered, now, now, "survey-link", Data: data)], ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Log.RecipientActionFailed(log, ex, "survey answer", t.StoreId);
            return TryAgain(text);
        }
        Log.SurveyAnswered(log, score, t.StoreId, t.JourneyId);
        return new RecipientPage(200, text, text.ThanksTitle,
            $"<h1>{E(text.ThanksHeading)}</h1><p>{RecipientText.Html(text.ThanksBody, link.StoreName, score: score)}</p>");
    }

    private static int? ParseScore(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 5 ? n : null;

    private static ILogger Logger(ILoggerFactory logs) => logs.CreateLogger("Automation.Functions.Recipients");
}
