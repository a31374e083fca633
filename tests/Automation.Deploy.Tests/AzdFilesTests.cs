using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Automation.Deploy.Tests.Infrastructure;

namespace Automation.Deploy.Tests;

/// <summary>What azd reads: azure.yaml and infra/main.parameters.json.</summary>
public partial class AzdFilesTests
{
    private static JsonObject ParameterFile() =>
        JsonNode.Parse(File.ReadAllText(Repo.Path("infra", "main.parameters.json")))!.AsObject();

    private static async Task<JsonObject> TemplateParametersAsync()
    {
        var build = await BicepCli.RunAsync(Repo.Path("infra"), "build", "main.bicep", "--stdout");
        Assert.Equal(0, build.ExitCode);
        return JsonNode.Parse(build.StdOut)!["parameters"]!.AsObject();
    }

    [Fact]
    public async Task Parameters_file_is_an_arm_parameters_file_for_parameters_the_template_has()
    {
        var file = ParameterFile();
        var template = await TemplateParametersAsync();
        var given = file["parameters"]!.AsObject();

        Assert.Equal("https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", (string?)file["$schema"]);
        Assert.Equal("1.0.0.0", (string?)file["contentVersion"]);
        Assert.All(given, p => Assert.True(template.ContainsKey(p.Key), $"{p.Key} is not a parameter of main.bicep"));
        // azd prompts for a required parameter the file leaves out; only the location comes from the resource group.
        var required = template.Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key);
        Assert.All(required, name => Assert.True(given.ContainsKey(name), $"required parameter {name} has no value in the file"));
    }

    [Fact]
    public void Parameters_file_holds_only_azd_substitutions_never_a_value()
    {
        foreach (var (name, parameter) in ParameterFile()["parameters"]!.AsObject())
            Assert.Matches(Substitutions(), (string)parameter!["value"]!);
    }

    [Theory]
    [InlineData("adminApiKey", "admin-api-key")]
    [InlineData("linkSigningKey", "link-signing-key")]
    [InlineData("couponCodeSecret", "coupon-code-secret")]
    public async Task Each_generated_key_is_read_back_from_its_own_secret_in_the_vault_on_later_runs(string parameter, string secret)
    {
        var value = (string)ParameterFile()["parameters"]![parameter]!["value"]!;
        var vaultSecret = (await Deployments.Bare).OfType("Microsoft.KeyVault/vaults/secrets")
            .Single(s => ((string)s["name"]!).EndsWith("/" + secret, StringComparison.Ordinal));

        Assert.Equal($"$(secretOrRandomPassword ${{AZURE_KEY_VAULT_NAME}} {secret})", value);
        Assert.Contains($"parameters('{parameter}')", (string)Deployment.Properties(vaultSecret)["value"]!, StringComparison.Ordinal);
        Assert.True((await Deployments.Bare).Outputs.ContainsKey("AZURE_KEY_VAULT_NAME"), "azd finds the vault through this output");
    }

    [Fact]
    public void Fresh_random_characters_cover_the_30_each_generated_key_may_take()
    {
        var value = (string)ParameterFile()["parameters"]!["freshRandom"]!["value"]!;

        // azd's secretOrRandomPassword without a vault makes 15 characters each time.
        var calls = Regex.Count(value, @"\$\(secretOrRandomPassword\)");
        Assert.Equal(value, string.Concat(Enumerable.Repeat("$(secretOrRandomPassword)", calls)));
        Assert.True(calls * 15 >= 3 * 30, $"{calls} calls give {calls * 15} characters; the template takes 3 x 30");
    }

    [Fact]
    public void Azure_yaml_deploys_the_functions_project_to_the_function_app_from_infra()
    {
        var lines = File.ReadAllLines(Repo.Path("azure.yaml")).Select(l => l.TrimEnd()).Where(l => l.Length > 0 && !l.TrimStart().StartsWith('#')).ToList();

        Assert.Contains("infra:", lines);
        Assert.Contains("  path: infra", lines);
        Assert.Contains("services:", lines);
        Assert.Contains("  functions:", lines);
        Assert.Contains("    project: ./functions/Automation.Functions", lines);
        Assert.Contains("    language: dotnet", lines);
        Assert.Contains("    host: function", lines);
        Assert.True(File.Exists(Repo.Path("functions", "Automation.Functions", "Automation.Functions.csproj")));
        Assert.True(File.Exists(Repo.Path("infra", "main.bicep")));
    }

    [Fact]
    public void The_deploy_guide_names_every_variable_azd_passes_and_every_secret_the_app_reads()
    {
        var guide = File.ReadAllText(Repo.Path("docs", "deploy.md"));
        var variables = ParameterFile()["parameters"]!.AsObject()
            .SelectMany(p => EnvironmentVariable().Matches((string)p.Value!["value"]!).Select(m => m.Groups[1].Value))
            .Where(v => !v.StartsWith("AZURE_", StringComparison.Ordinal))
            .Distinct();

        Assert.All(variables, v => Assert.Contains($"`{v}`", guide, StringComparison.Ordinal));
        foreach (var secret in new[] { "admin-api-key", "link-signing-key", "link-signing-key-previous", "coupon-code-secret", "sendgrid-api-key", "store-{id}-webhook-secret" })
            Assert.Contains(secret, guide, StringComparison.Ordinal);
    }

    [Fact]
    public void Azd_environments_stay_out_of_git()
    {
        var ignored = File.ReadAllLines(Repo.Path(".gitignore")).Select(l => l.Trim());

        Assert.Contains(".azure/", ignored);
    }

    [GeneratedRegex(@"\$\{([A-Z_]+)\}")]
    private static partial Regex EnvironmentVariable();

    [GeneratedRegex(@"^(\$\{[A-Z_]+\}|\$\(secretOrRandomPassword( \$\{AZURE_KEY_VAULT_NAME\} [a-z-]+)?\))+$")]
    private static partial Regex Substitutions();
}
