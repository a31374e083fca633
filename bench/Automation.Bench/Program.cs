using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Automation.Bench;

// Benchmarks of the real app on Kestrel at 127.0.0.1 against a real Azurite (data on disk in a
// temporary folder), both started here and stopped at the end. Figures and how to read them are in
// BENCHMARKS.md. Usage: dotnet run -c Release --project bench/Automation.Bench -- [--ingestion | --journeys]
//   --ingestion: stage 1 only (--events 2000, --concurrency 16, --parallelism 8)
//   --journeys:  stage 2 only (--customers 500, same --concurrency and --parallelism)
//   neither:     both, one after the other, each with an Azurite and an app of its own
//   --batch:     the app's own work for a 1,000-recipient broadcast batch, in memory (--rounds 50); alone, only that
//   --broadcast: a generated store seeded into Azurite, then one pre-holiday push to a local SendGrid listener
//                (--customers 1000000, --seed-parallelism 64 requests in flight, --parallelism 8); alone, only that
var batch = args.Contains("--batch");
var broadcast = args.Contains("--broadcast");
var alone = (batch || broadcast) && !args.Contains("--ingestion") && !args.Contains("--journeys");
var ingestion = !alone && (!args.Contains("--journeys") || args.Contains("--ingestion"));
var journeys = !alone && (!args.Contains("--ingestion") || args.Contains("--journeys"));
var events = Option("--events", 2000, min: 8);
var journeyCustomers = journeys ? Option("--customers", 500, min: 10) : 0;
var broadcastCustomers = broadcast ? Option("--customers", 1_000_000, min: 100) : 0;
var concurrency = Option("--concurrency", 16, min: 1);
var parallelism = Option("--parallelism", 8, min: 1);
var seedParallelism = Option("--seed-parallelism", 64, min: 1);
var rounds = Option("--rounds", 50, min: 1);
var customers = Math.Max(1, events / 4);

// A hung emulator must not hang the bench: everything is cancelled after 20 minutes, and a broadcast gets 20 more
// plus 2 per 10,000 customers (3 h 40 min for a million: seeding alone took 81 minutes there, Azurite slowing as it fills).
var limit = TimeSpan.FromMinutes((ingestion || journeys || batch ? 20 : 0) + (broadcast ? 20 + 2.0 * broadcastCustomers / 10_000 : 0));
using var cts = new CancellationTokenSource(limit);
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var ct = cts.Token;
var repo = RepoRoot();
ShippedJourneys.UseRepo(repo);

using var calls = new StorageCalls(BenchHost.StoragePrefix);
var logs = new LogCounter();
try
{
    if (ingestion)
    {
        var loadAtStart = LoadAverage();
        Console.Error.WriteLine($"Ingestion: starting Azurite and the app ({events} events over {customers} customers)…");
        await using var azurite = await AzuriteProcess.StartAsync(repo, ct);
        await using var host = await BenchHost.StartAsync(azurite.ConnectionString, concurrency, logs, journeys: false, ct);
        // The host's console lifetime takes SIGINT and SIGTERM from here on: stop the bench with it.
        using var onStop = host.Stopping.Register(cts.Cancel);
        var (posts, mixed, repeat, reducer) = await IngestionBench.RunAsync(new IngestionPhases(host, azurite, calls, logs), events, customers, concurrency, parallelism, ct);
        Console.WriteLine(new Report(events, customers, concurrency, parallelism, Describe(azurite, loadAtStart), posts, mixed, repeat, reducer, Memory(azurite)).ToMarkdown());
    }
    if (journeys)
    {
        var loadAtStart = LoadAverage();
        Console.Error.WriteLine($"Journeys: starting Azurite and the app with the shipped journeys ({journeyCustomers} customers)…");
        await using var azurite = await AzuriteProcess.StartAsync(repo, ct);
        await using var host = await BenchHost.StartAsync(azurite.ConnectionString, concurrency, logs, journeys: true, ct);
        using var onStop = host.Stopping.Register(cts.Cancel);
        var result = await JourneyBench.RunAsync(host, azurite, calls, logs, journeyCustomers, concurrency, parallelism, TimeSpan.FromSeconds(2), ct);
        Console.WriteLine(new JourneyReport(result, concurrency, parallelism, Describe(azurite, loadAtStart), Memory(azurite)).ToMarkdown());
    }
    if (batch)
    {
        var loadAtStart = LoadAverage();
        Console.Error.WriteLine($"Batch: composing and serialising 1,000 recipients, {rounds} rounds a case…");
        var cases = BatchBench.Run(repo, rounds, ct);
        Console.WriteLine($"| case (load {loadAtStart} → {LoadAverage()}, {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC) | ms/round | MB allocated/round | body bytes |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var c in cases)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {c.Case} | {c.MillisecondsEach:0.0} | {c.BytesPerRound / 1e6:0.0} | {c.BodyBytes?.ToString("N0", CultureInfo.InvariantCulture) ?? ""} |"));
    }
    if (broadcast)
    {
        var loadAtStart = LoadAverage();
        Console.Error.WriteLine($"Broadcast: starting the SendGrid listener, Azurite (node heap up to {BroadcastBench.AzuriteHeapMiB:N0} MiB) and the app with store '{BroadcastBench.Store}'…");
        await using var sendGrid = await SendGridBenchListener.StartAsync(BroadcastBench.SendGridKey, ct);
        // In memory: on disk, Azurite's table snapshots abort node past about 180,000 customers (see AzuriteProcess).
        await using var azurite = await AzuriteProcess.StartAsync(repo, ct, BroadcastBench.AzuriteHeapMiB, inMemory: true);
        await using var host = await BenchHost.StartAsync(azurite.ConnectionString, concurrency, logs, journeys: true, ct, BroadcastBench.Settings(sendGrid.Host, repo));
        using var onStop = host.Stopping.Register(cts.Cancel);
        var result = await BroadcastBench.RunAsync(host, azurite, sendGrid, calls, logs, broadcastCustomers, seedParallelism, parallelism, ct);
        Console.WriteLine(new BroadcastReport(result, Describe(azurite, loadAtStart), Memory(azurite)).ToMarkdown());
        if (result.Problems() is { Count: > 0 } problems)
        {
            foreach (var problem in problems) Console.Error.WriteLine("Broadcast: " + problem);
            return 1;
        }
    }
    return 0;
}
catch (OperationCanceledException) when (ct.IsCancellationRequested)
{
    Console.Error.WriteLine($"Cancelled (signal or the {limit.TotalMinutes:N0}-minute limit); Azurite was stopped and its folder deleted.");
    return 130;
}

static Memory Memory(AzuriteProcess azurite)
{
    using var self = Process.GetCurrentProcess();
    return new Memory(self.PeakWorkingSet64, azurite.PeakResidentBytes(), azurite.DiskBytes());
}

static Machine Describe(AzuriteProcess azurite, string loadAtStart) =>
    new(Environment.ProcessorCount, CpuModel(), RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription,
        azurite.Version, GCSettings.IsServerGC ? "server" : "workstation", loadAtStart, LoadAverage(), azurite.Persistence);

static string CpuModel() => File.Exists("/proc/cpuinfo")
    ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
    : RuntimeInformation.ProcessArchitecture.ToString();

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
