using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Automation.Deploy.Tests.Infrastructure;

/// <summary>Runs the Bicep CLI from the NuGet package. Nothing it is asked to do here needs a network.</summary>
public static partial class BicepCli
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string Output => StdOut + StdErr;

        /// <summary>Lines of the form <c>file(line,col) : Warning|Error rule: message</c>.</summary>
        public IReadOnlyList<string> Diagnostics =>
            [.. Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => DiagnosticLine().IsMatch(l))];
    }

    public static async Task<Result> RunAsync(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(Repo.BicepPath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the Bicep CLI.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', args)} did not finish within {Limit.TotalMinutes} minutes.");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"\(\d+,\d+\) : (Warning|Error|Info) ")]
    private static partial Regex DiagnosticLine();
}
