using Automation.Deploy.Tests.Infrastructure;

namespace Automation.Deploy.Tests;

/// <summary>
/// atLeast32 (infra/modules/shared.bicep), evaluated by the Bicep CLI: the first azd run's 15-character
/// keys become long enough for the app, and a stored key survives every later run unchanged.
/// </summary>
public class GeneratedKeyTests
{
    private static async Task<string> AtLeast32Async(string secret, string fill)
    {
        var dir = Directory.CreateTempSubdirectory("deploy-probe-");
        try
        {
            var shared = Path.GetRelativePath(dir.FullName, Repo.Path("infra", "modules", "shared.bicep")).Replace('\\', '/');
            var probe = Path.Combine(dir.FullName, "probe.bicep");
            await File.WriteAllTextAsync(probe, $$"""
                import { atLeast32 } from '{{shared}}'
                param stored string
                param fill string
                output value string = atLeast32(stored, fill)
                """);
            var (deployment, result) = await Deployment.TrySnapshotAsync(probe, $"param stored = '{secret}'\nparam fill = '{fill}'");
            Assert.True(deployment is not null, result.Output);
            return (string)deployment!.Outputs["value"]!;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_first_run_15_character_key_is_lengthened_with_the_fresh_characters()
    {
        const string generated = "aB3dE5gH7jK9mN1";
        var fill = new string('x', 30);

        var key = await AtLeast32Async(generated, fill);

        Assert.Equal(generated + fill, key);
        Assert.True(key.Length >= 32);
    }

    [Fact]
    public async Task A_stored_key_of_32_characters_or_more_is_kept_as_it_is()
    {
        var stored = "aB3dE5gH7jK9mN1" + new string('q', 30);

        Assert.Equal(stored, await AtLeast32Async(stored, "fresh-characters-that-must-not-appear"));
        Assert.Equal(new string('k', 32), await AtLeast32Async(new string('k', 32), "more"));
    }
}
