using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Automation.Bench;

/// <summary>
/// A real Azurite (tables and queues) from the repo's node_modules, on free loopback ports, with
/// its data in a temporary folder on disk (not <c>--inMemoryPersistence</c>: storage should cost
/// what it costs). Disposing kills the process and deletes the folder.
/// <para>
/// Azurite keeps its tables in one in-memory LokiJS database whatever the persistence; "on disk"
/// means that every 5 s, if anything changed, LokiJS writes the whole database out as one JSON
/// string. Past V8's longest string (536,870,888 characters in node 20), about 180,000 customers
/// of the broadcast bench (some 3 KB of JSON each), that <c>JSON.stringify</c> aborts node
/// outright (a V8 fatal error, not an exception), so a store of a million can only run with
/// <c>inMemory</c>, and each snapshot before that stalls every request for as long as it takes.
/// A million customers also take gigabytes of node heap, over node's default limit (about 4 GB
/// here), hence <c>heapMiB</c> (<c>--max-old-space-size</c>).
/// </para>
/// </summary>
internal sealed class AzuriteProcess : IAsyncDisposable
{
    // Azurite's well-known development account key, not a secret.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly Queue<string> _lastErrors = new();
    private int _disposed;

    public string Location { get; }

    /// <summary>Where Azurite keeps its data: <c>data on disk</c> or <c>data in memory</c>.</summary>
    public string Persistence { get; private init; } = "data on disk";
    public string Version { get; }
    public string ConnectionString { get; }

    private AzuriteProcess(Process process, string location, string version, int queuePort, int tablePort)
    {
        _process = process;
        Location = location;
        Version = version;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    /// <param name="heapMiB">node's <c>--max-old-space-size</c>; null: node's default.</param>
    /// <param name="inMemory"><c>--inMemoryPersistence</c>: no snapshots of the tables on disk (the folder is only node's working directory).</param>
    public static async Task<AzuriteProcess> StartAsync(string repoRoot, CancellationToken ct, int? heapMiB = null, bool inMemory = false)
    {
        var package = Path.Combine(repoRoot, "node_modules", "azurite");
        var script = Path.Combine(package, "dist", "src", "azurite.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"Azurite is not installed at {script}. Run `npm ci` in {repoRoot}.");
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(package, "package.json"), ct));
        var version = manifest.RootElement.GetProperty("version").GetString() ?? "?";

        var location = Path.Combine(Path.GetTempPath(), "automation-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(location);
        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var psi = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{table}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Azurite without --location works in (and may write to) its working directory.
            WorkingDirectory = location,
        };
        if (heapMiB is { } heap) psi.ArgumentList.Insert(0, $"--max-old-space-size={heap}");
        foreach (var arg in inMemory ? ["--inMemoryPersistence"] : new[] { "--location", location }) psi.ArgumentList.Add(arg);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node.");
        var azurite = new AzuriteProcess(process, location, version, queue, table) { Persistence = inMemory ? "data in memory" : "data on disk" };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => azurite.KeepError(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A Ctrl+C or SIGTERM must not leave node running: ProcessExit runs on both.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.Stop();

        var deadline = Stopwatch.StartNew();
        while (!(await Accepts(queue) && await Accepts(table)))
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                await azurite.DisposeAsync();
                throw new InvalidOperationException("Azurite did not start within 60 s.");
            }
            await Task.Delay(100, ct);
        }
        return azurite;
    }

    /// <summary>Peak resident set of the node process (VmHWM), in bytes; null where /proc is not there.</summary>
    public long? PeakResidentBytes() => ProcStatus.Read(_process.Id, "VmHWM:");

    /// <summary>Null while node runs; once it has exited, its exit code and the last lines it wrote to stderr.</summary>
    public string? Exited()
    {
        if (!_process.HasExited) return null;
        lock (_lastErrors) return $"node exited with code {_process.ExitCode}: " + string.Join(" | ", _lastErrors);
    }

    private void KeepError(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        lock (_lastErrors)
        {
            _lastErrors.Enqueue(line.Trim());
            if (_lastErrors.Count > 10) _lastErrors.Dequeue();
        }
    }

    /// <summary>Resident set of the node process now (VmRSS), in bytes; null where /proc is not there.</summary>
    public long? ResidentBytes() => ProcStatus.Read(_process.Id, "VmRSS:");

    /// <summary>Starts <see cref="PeakResidentBytes"/> again from the resident set now (Linux 4.0 and later).</summary>
    public bool ResetPeak() => ProcStatus.ResetPeak(_process.Id);

    /// <summary>Processor time node has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Bytes Azurite keeps in its folder now.</summary>
    public long DiskBytes() =>
        new DirectoryInfo(Location).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private void Stop()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(Location, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task<bool> Accepts(int port)
    {
        try
        {
            using var c = new TcpClient();
            await c.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
