namespace Automation.Bench;

/// <summary>Stage-1 figures: Shopify orders/create webhooks into the queue, the queue into profiles, and the reducer alone.</summary>
internal static class IngestionBench
{
    public static async Task<(WebhookResult[] Posts, DrainResult Mixed, DrainResult Repeat, IReadOnlyList<DecisionResult> Reducer)> RunAsync(
        IngestionPhases phases, int events, int customers, int concurrency, int parallelism, CancellationToken ct)
    {
        // Warm-up on customers of their own: JIT, connection pools, tables and queue all exist before timing.
        // Rounds with a pause after each: the runtime delays tier-1 compilation while new methods keep being
        // compiled, so with a single round the first measured phases paid for tiering (~30 % of a core more).
        for (var round = 0; round < 3; round++)
        {
            var warmUp = ShopifyDeliveries.Build(300, 75, orderOffset: 10_000_000 + round * 300, customerOffset: 10_000_000);
            await phases.PostAsync("warm-up", warmUp, concurrency, ct);
            await phases.DrainAsync("warm-up", warmUp.Length, parallelism, ct);
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        // Batch 1: every customer is new on its first event (the email index is written), then repeats.
        // Batch 2: the same customers again, so every event is a repeat; the difference is the new-customer cost.
        Console.Error.WriteLine("Batch 1: webhooks, then drain…");
        var first = ShopifyDeliveries.Build(events, customers, orderOffset: 0);
        var firstPost = await phases.PostAsync("batch 1", first, concurrency, ct);
        var mixed = await phases.DrainAsync($"batch 1: {customers} new + {events - customers} repeat", events, parallelism, ct);
        Console.Error.WriteLine("Batch 2: webhooks, then drain…");
        var second = ShopifyDeliveries.Build(events, customers, orderOffset: events);
        var secondPost = await phases.PostAsync("batch 2", second, concurrency, ct);
        var repeat = await phases.DrainAsync("batch 2: repeat customers only", events, parallelism, ct);

        Console.Error.WriteLine("Reducer…");
        var reducer = ReducerBench.Run(TimeSpan.FromSeconds(3), ct);
        return ([firstPost, secondPost], mixed, repeat, reducer);
    }
}
