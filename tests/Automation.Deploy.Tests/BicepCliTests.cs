using Automation.Deploy.Tests.Infrastructure;

namespace Automation.Deploy.Tests;

public class BicepCliTests
{
    [Fact]
    public async Task The_Bicep_CLI_from_the_NuGet_package_runs_offline()
    {
        var result = await BicepCli.RunAsync(Repo.Root, "--version");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Bicep CLI version", result.StdOut);
    }
}
