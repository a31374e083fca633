using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Automation.Bench;

/// <summary>
/// A real Azurite (tables and queues) from the repo's node_modules, on free loopback ports, with
/// its data in a temporary folder on disk (not <c>--inMemoryPersistence</c>: storage should cost
/// what it costs). Disposing kills the process and deletes the folder.
/// </summary>
internal sealed class AzuriteProcess : IAsyncDisposable
{
    // Azurite's well-known development account key, not a secret.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private int _disposed;

    public string Location { get; }
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

    public static async Task<AzuriteProcess> StartAsync(string repoRoot, CancellationToken ct)
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
            ArgumentList = { script, "--silent", "--location", location, "--skipApiVersionCheck", "--loose", "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{table}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteProcess(process, location, version, queue, table);
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
    public long? PeakResidentBytes()
    {
        var status = $"/proc/{_process.Id}/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kb is null ? null : long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
    }

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
