using Automation.Core.Journeys.Definitions;

namespace Automation.Functions.Coupons;

/// <summary>Refuses to start with coupon pools that would promise customers something wrong (see <see cref="CatalogValidator"/>).</summary>
internal sealed class CouponCatalogCheck(JourneyCatalog catalog, ILogger<CouponCatalogCheck> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var problems = CatalogValidator.Check(catalog.CouponPools);
        if (problems.Count == 0) return Task.CompletedTask;
        var text = string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}"));
        Log.CouponCatalogInvalid(log, text);
        throw new InvalidOperationException($"journeys/catalog.json: {text}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
