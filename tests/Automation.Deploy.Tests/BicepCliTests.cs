using System.Diagnostics;
using Automation.Deploy.Tests.Infrastructure;

namespace Automation.Deploy.Tests;

public class BicepCliTests
{
    [Fact]
    public async Task The_Bicep_CLI_from_the_NuGet_package_runs_offline()
    {
        var psi = new ProcessStartInfo(Repo.BicepPath, "--version") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);
        Assert.StartsWith("Bicep CLI version", output);
    }
}
