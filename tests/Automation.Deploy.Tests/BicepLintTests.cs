using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Deploy.Tests.Infrastructure;

namespace Automation.Deploy.Tests;

/// <summary>infra/ compiles and lints with no warning, under a linter config that stays strict and offline.</summary>
public partial class BicepLintTests
{
    private static IEnumerable<string> BicepFileNames() =>
        Directory.EnumerateFiles(Repo.Path("infra"), "*.bicep", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Repo.Path("infra"), file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> BicepFiles() => new(BicepFileNames());

    [Fact]
    public async Task Main_template_builds_with_no_warning_or_error()
    {
        var result = await BicepCli.RunAsync(Repo.Path("infra"), "build", "main.bicep", "--stdout");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Diagnostics);
        Assert.Equal("", result.StdErr.Trim());
        Assert.StartsWith("{", result.StdOut.TrimStart(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Each_bicep_file_lints_with_no_warning_or_error(string file)
    {
        var result = await BicepCli.RunAsync(Repo.Path("infra"), "lint", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public async Task Linter_config_turns_every_core_rule_it_names_to_warning_or_error()
    {
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Repo.Path("infra", "bicepconfig.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var core = config.RootElement.GetProperty("analyzers").GetProperty("core");
        var rules = core.GetProperty("rules").EnumerateObject().ToDictionary(r => r.Name, r => r.Value.GetProperty("level").GetString());

        Assert.True(core.GetProperty("enabled").GetBoolean());
        Assert.All(rules, r => Assert.Contains(r.Value, new[] { "warning", "error" }));
        foreach (var rule in new[]
        {
            "no-unused-params", "no-unused-vars", "no-hardcoded-env-urls", "no-hardcoded-location", "secure-parameter-default",
            "secure-secrets-in-params", "outputs-should-not-contain-secrets", "use-secure-value-for-secure-inputs",
            "use-resource-symbol-reference", "no-unnecessary-dependson", "use-stable-resource-identifiers",
        })
            Assert.True(rules.ContainsKey(rule), $"{rule} is not set");
        // Offline: no registry aliases to resolve.
        Assert.False(config.RootElement.TryGetProperty("moduleAliases", out _));
    }

    [Fact]
    public async Task No_bicep_file_silences_a_diagnostic_or_reaches_for_a_registry()
    {
        foreach (var file in BicepFileNames())
        {
            var text = await File.ReadAllTextAsync(Repo.Path("infra", file));
            Assert.DoesNotContain("#disable-", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(RegistryReference(), text);
        }
    }

    [Fact]
    public async Task The_linter_config_catches_a_planted_problem()
    {
        var dir = Directory.CreateTempSubdirectory("deploy-lint-");
        try
        {
            File.Copy(Repo.Path("infra", "bicepconfig.json"), Path.Combine(dir.FullName, "bicepconfig.json"));
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "planted.bicep"), """
                param location string = resourceGroup().location
                param unused string
                param apiPassword string

                resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
                  name: 'stplanted'
                  location: 'westeurope'
                  kind: 'StorageV2'
                  sku: { name: 'Standard_LRS' }
                }

                output password string = apiPassword
                output where string = location
                output id string = account.id
                """);

            var result = await BicepCli.RunAsync(dir.FullName, "lint", "planted.bicep");

            Assert.NotEqual(0, result.ExitCode);
            foreach (var rule in new[] { "no-unused-params", "secure-secrets-in-params", "no-hardcoded-location", "outputs-should-not-contain-secrets" })
                Assert.Contains(rule, result.Output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"'(br|ts)[:/]")]
    private static partial Regex RegistryReference();
}
