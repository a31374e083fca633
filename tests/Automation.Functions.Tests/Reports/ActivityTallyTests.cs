using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Core.Stores;
using Automation.Functions.Reports;
using Automation.Functions.Storage;
using Automation.Functions.Tests.Infrastructure;
using Automation.Functions.Tests.JourneyRuntime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Automation.Functions.Tests.Reports;

/// <summary><see cref="ActivityTally"/>: many decisions' facts summed, one increment per counter, flushed once.</summary>
public sealed class ActivityTallyTests : IAsyncLifetime
{
    private const string Store = "custom";
    private TestApp _app = null!;
    private DateTimeOffset T0 => _app.Clock.GetUtcNow();

    private readonly LogCapture _logs = new();

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(services: s => s.AddSingleton<ILoggerProvider>(_logs));

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private static readonly JourneyLibrary Library = new([PublishedJourney.Single(Definition())], RuntimeKit.Catalog);

    private static JourneyDefinition Definition()
    {
        var read = JourneyReader.Read(SplitGroupReportTests.OfferTest, RuntimeKit.Catalog);
        Assert.True(read.IsValid, string.Join("; ", read.Problems.Select(p => $"{p.Path}: {p.Message}")));
        return read.Definition!;
    }

    /// <summary>What a broadcast would hold after committing: each customer's decision and the states it was made from.</summary>
    private List<(JourneyStates Before, JourneyDecision Decision)> Decisions(int customers, bool convert)
    {
        var settings = new StoreSettings(Store, TimeZone: "Europe/London", Currency: "GBP");
        var decisions = new List<(JourneyStates, JourneyDecision)>();
        for (var i = 0; i < customers; i++)
        {
            var first = RuntimeKit.Order($"a{i}", $"o{i}", T0, $"id:{i}");
            var entered = CustomerDecision.Decide(null, JourneyStates.Empty, first, settings, Library, T0);
            decisions.Add((JourneyStates.Empty, entered.Journeys!));
            if (!convert) continue;
            var second = RuntimeKit.Order($"b{i}", $"p{i}", T0.AddDays(1), $"id:{i}") with { Order = new OrderFacts($"p{i}", 10m + i, "GBP") };
            var converted = CustomerDecision.Decide(entered.Profile, entered.Journeys!.States, second, settings, Library, T0.AddDays(1));
            decisions.Add((entered.Journeys.States, converted.Journeys!));
        }
        return decisions;
    }

    private static Dictionary<(string, string, string), (long Count, decimal Amount)> Expected(IEnumerable<(JourneyStates Before, JourneyDecision Decision)> decisions) =>
        decisions.SelectMany(d => JourneyActivity.Facts(d.Before, d.Decision))
            .GroupBy(f => (f.JourneyId, f.StepId, f.Metric))
            .ToDictionary(g => g.Key, g => ((long)g.Count(), g.Sum(f => f.Amount ?? 0m)));

    [Fact]
    public async Task a_tally_sums_facts_added_in_parallel_and_writes_one_increment_per_counter()
    {
        var decisions = Decisions(60, convert: true);
        var expected = Expected(decisions);
        var tally = _app.Get<JourneyActivity>().Tally();

        Parallel.ForEach(decisions, new ParallelOptions { MaxDegreeOfParallelism = 8 }, d => tally.Add(d.Before, d.Decision));

        Assert.Equal(expected, tally.Pending);
        Assert.Equal(60, tally.Pending.Where(kv => kv.Key.Metric.StartsWith(JourneyMetrics.GroupMemberPrefix, StringComparison.Ordinal)).Sum(kv => kv.Value.Count));
        Assert.Equal(60, tally.Pending[("offer-test", JourneyStats.JourneyLevel, JourneyMetrics.Conversion)].Count);
        _app.Counter.Reset();
        await tally.FlushAsync(Store, default);

        // One read and one write per counter (no conflicts: one writer), not per fact or per customer.
        Assert.Equal((expected.Count, expected.Count), (_app.Counter.TableReads, _app.Counter.TableWrites));
        var stored = await _app.Get<JourneyStats>().ReadAsync(Store, "offer-test", default);
        foreach (var ((_, step, metric), (count, amount)) in expected)
            Assert.Equal(new StatValue(count, amount), stored[step][metric]);
        Assert.Equal(60 * 10m + Enumerable.Range(0, 60).Sum(), stored[JourneyStats.JourneyLevel][JourneyMetrics.Conversion].Amount);
    }

    [Fact]
    public async Task flushing_twice_does_not_count_twice_and_a_later_flush_adds_only_what_came_since()
    {
        var decisions = Decisions(10, convert: false);
        var tally = _app.Get<JourneyActivity>().Tally();
        foreach (var (before, decision) in decisions) tally.Add(before, decision);
        await tally.FlushAsync(Store, default);
        _app.Counter.Reset();

        await tally.FlushAsync(Store, default);

        Assert.Equal(0, _app.Counter.Total);
        Assert.Empty(tally.Pending);
        var members = await MembersAsync();
        Assert.Equal(10, members);

        tally.Add(decisions[0].Before, decisions[0].Decision);
        await tally.FlushAsync(Store, default);
        Assert.Equal(11, await MembersAsync());
    }

    [Fact]
    public async Task no_decision_or_one_that_changed_nothing_adds_nothing()
    {
        var tally = _app.Get<JourneyActivity>().Tally();
        var (before, decision) = Decisions(1, convert: false)[0];

        tally.Add(before, null);
        tally.Add(before, decision with { Changed = false });
        _app.Counter.Reset();
        await tally.FlushAsync(Store, default);

        Assert.Empty(tally.Pending);
        Assert.Equal(0, _app.Counter.Total);
    }

    [Fact]
    public async Task record_async_counts_one_decision_through_the_same_facts()
    {
        var (before, decision) = Decisions(1, convert: false)[0];

        await _app.Get<JourneyActivity>().RecordAsync(Store, before, decision, default);

        var stored = await _app.Get<JourneyStats>().ReadAsync(Store, "offer-test", default);
        foreach (var ((_, step, metric), (count, _)) in Expected([(before, decision)]))
            Assert.Equal(count, stored[step][metric].Count);
        Assert.Equal(1, await MembersAsync());
    }

    [Fact]
    public async Task a_flush_storage_refuses_is_logged_with_the_count_lost_not_thrown()
    {
        var tally = _app.Get<JourneyActivity>().Tally();
        tally.Add([new ActivityFact("offer-test", "ab", JourneyMetrics.GroupMember("thank")), new ActivityFact("offer-test", "ab", JourneyMetrics.GroupMember("thank"))]);
        await _app.Get<StorageClients>().Table(StorageClients.StatsTable).DeleteAsync(); // every write now answers 404

        await tally.FlushAsync(Store, default);

        Assert.Empty(tally.Pending);
        var lost = Assert.Single(_logs.Entries, e => e.Id == 9000);
        Assert.StartsWith("2 report count(s) were lost", lost.Message, StringComparison.Ordinal);
    }

    private async Task<long> MembersAsync()
    {
        var stored = await _app.Get<JourneyStats>().ReadAsync(Store, "offer-test", default);
        return stored.GetValueOrDefault("ab")?.Where(kv => kv.Key.StartsWith(JourneyMetrics.GroupMemberPrefix, StringComparison.Ordinal)).Sum(kv => kv.Value.Count) ?? 0;
    }
}

/// <summary>Every log entry the app writes, with its event id.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    public System.Collections.Concurrent.ConcurrentQueue<(int Id, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(Entries);

    public void Dispose() { }

    private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<(int, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
