using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Automation.Functions.Tests.Infrastructure;

/// <summary>
/// One real Azurite (tables, queues) for the whole test run, in memory, on free ports, started
/// from the repo's node_modules. Set <c>AZURITE_CONNECTION_STRING</c> to use one already running.
/// Each test app gets its own table and queue prefix, so tests never see each other's data.
/// </summary>
public static class Azurite
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly Lazy<Task<string>> Started = new(StartAsync);
    private static Process? _process;

    public static Task<string> ConnectionStringAsync() => Started.Value;

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING") is { Length: > 0 } external) return external;

        var root = RepoRoot();
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"Azurite is not installed at {script}. Run `npm ci` in {root} (./test.sh does).");
        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var psi = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{table}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();

        // Start-up, not a test: wait (bounded) until both services accept connections.
        var deadline = Stopwatch.StartNew();
        while (!(await Accepts(queue) && await Accepts(table)))
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new InvalidOperationException($"Azurite did not start (exit: {(_process.HasExited ? _process.ExitCode : "still running")}).");
            await Task.Delay(100);
        }
        return $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
               $"QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
    }

    private static void Stop()
    {
        try { if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Automation.sln"))) return dir.FullName;
        throw new InvalidOperationException("Automation.sln not found above " + AppContext.BaseDirectory);
    }

    public static int FreePort()
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
