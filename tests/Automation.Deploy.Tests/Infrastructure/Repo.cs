using System.Reflection;

namespace Automation.Deploy.Tests.Infrastructure;

/// <summary>Where the repository and the Bicep CLI are, found from the test assembly.</summary>
public static class Repo
{
    public static string Root { get; } = Automation.Functions.Tests.Infrastructure.Azurite.RepoRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The Bicep executable from the Azure.Bicep.CommandLine.linux-x64 package (no network, no global install).</summary>
    public static string BicepPath { get; } = FindBicep();

    private static string FindBicep()
    {
        var path = typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepPath")?.Value?.Replace('\\', '/');
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
            throw new InvalidOperationException($"The Bicep CLI was not found at '{path}'; restore Azure.Bicep.CommandLine.linux-x64.");
        // NuGet unpacks without Unix permissions: the CLI arrives not executable.
        if (OperatingSystem.IsWindows()) return path;
        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }
}
