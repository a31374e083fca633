using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Automation.Bench;

// Ingestion benchmark: the real app on Kestrel at 127.0.0.1 against a real Azurite (data on disk
// in a temporary folder), both started here and stopped at the end. Figures and how to read them
// are in BENCHMARKS.md. Usage: dotnet run -c Release --project bench/Automation.Bench -- --events 2000
var events = Option("--events", 2000, min: 8);
var concurrency = Option("--concurrency", 16, min: 1);
var parallelism = Option("--parallelism", 8, min: 1);
var customers = Math.Max(1, events / 4);

// A hung emulator must not hang the bench: everything is cancelled after 20 minutes.
using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(20));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var ct = cts.Token;
var loadAtStart = LoadAverage();

using var calls = new StorageCalls();
var logs = new LogCounter();
try
{
    Console.Error.WriteLine($"Starting Azurite and the app ({events} events over {customers} customers)…");
    await using var azurite = await AzuriteProcess.StartAsync(RepoRoot(), ct);
    await using var host = await BenchHost.StartAsync(azurite.ConnectionString, concurrency, logs, ct);
    // The host's console lifetime takes SIGINT and SIGTERM from here on: stop the bench with it.
    using var onStop = host.Stopping.Register(cts.Cancel);
    Console.WriteLine((await MeasureAsync(azurite, new IngestionPhases(host, azurite, calls, logs))).ToMarkdown());
    return 0;
}
catch (OperationCanceledException) when (ct.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled (signal or the 20-minute limit); Azurite was stopped and its folder deleted.");
    return 130;
}

async Task<Report> MeasureAsync(AzuriteProcess azurite, IngestionPhases phases)
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

    using var self = Process.GetCurrentProcess();
    var memory = new Memory(self.PeakWorkingSet64, azurite.PeakResidentBytes(), azurite.DiskBytes());
    var machine = new Machine(Environment.ProcessorCount, RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription,
        azurite.Version, GCSettings.IsServerGC ? "server" : "workstation", loadAtStart, LoadAverage());
    return new Report(events, customers, concurrency, parallelism, machine, [firstPost, secondPost], mixed, repeat, reducer, memory);
}

int Option(string name, int fallback, int min)
{
    var i = Array.IndexOf(args, name);
    if (i < 0) return fallback;
    if (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min) return v;
    throw new ArgumentException($"{name} takes a whole number of at least {min}.");
}

// Other work on the machine skews every figure; the load average shows whether there was any.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string RepoRoot()
{
    foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Automation.sln"))) return dir.FullName;
    throw new InvalidOperationException("Automation.sln not found above " + AppContext.BaseDirectory);
}
