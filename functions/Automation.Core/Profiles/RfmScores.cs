namespace Automation.Core.Profiles;

/// <summary>
/// Recency, frequency and monetary scores, 1 (low) to 5 (high), on fixed thresholds so that a
/// customer's score does not move when other customers buy. Monetary is relative to the store's
/// high-value threshold, which is in the store's currency.
/// </summary>
public sealed record RfmScores(int Recency, int Frequency, int Monetary)
{
    public static RfmScores? At(CustomerProfile p, decimal highValueThreshold, DateTimeOffset now)
    {
        if (p.OrderCount == 0 || p.LastOrderAt is not { } last) return null;
        var days = (now - last).TotalDays;
        var r = days <= 30 ? 5 : days <= 60 ? 4 : days <= 120 ? 3 : days <= 240 ? 2 : 1;
        var f = p.OrderCount >= 10 ? 5 : p.OrderCount >= 5 ? 4 : p.OrderCount >= 3 ? 3 : p.OrderCount == 2 ? 2 : 1;
        var share = highValueThreshold <= 0 ? 1m : p.TotalSpent / highValueThreshold;
        var m = share >= 1m ? 5 : share >= 0.5m ? 4 : share >= 0.25m ? 3 : share >= 0.1m ? 2 : 1;
        return new RfmScores(r, f, m);
    }
}
