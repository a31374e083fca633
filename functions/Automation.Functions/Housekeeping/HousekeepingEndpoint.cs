using System.Globalization;
using Automation.Functions.Hosting;
using Automation.Functions.Webhooks.SendGrid;

namespace Automation.Functions.Housekeeping;

/// <summary>
/// The daily <c>timerTrigger</c> (function <c>Housekeeping</c>, <c>POST /Housekeeping</c>): drops what only
/// guarded against duplicates that can no longer arrive. Today that is SendGrid's event markers: SendGrid
/// retries a delivery for up to 72 hours and the endpoint refuses events older than
/// <see cref="SendGridSignature.MaxAge"/>, so a day's markers are kept one day longer than that and then go.
/// </summary>
public static class HousekeepingEndpoint
{
    public const string FunctionName = "Housekeeping";

    public static readonly TimeSpan KeepProviderEvents = SendGridSignature.MaxAge + TimeSpan.FromDays(1);

    public static async Task<IResult> HandleAsync(StoreDirectory stores, ProviderEventLog events, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger(typeof(HousekeepingEndpoint));
        var beforeDay = (time.GetUtcNow() - KeepProviderEvents).UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var forgotten = 0;
        foreach (var store in stores.Ids)
            forgotten += await events.ForgetBeforeAsync("sendgrid", store, beforeDay, ct);
        Log.ProviderEventsForgotten(log, forgotten, beforeDay);
        return HostAnswer.With(StatusCodes.Status200OK, $"forgot {forgotten} SendGrid event marker(s) of days before {beforeDay}");
    }
}
