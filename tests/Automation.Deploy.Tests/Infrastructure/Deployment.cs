using System.Text.Json.Nodes;

namespace Automation.Deploy.Tests.Infrastructure;

/// <summary>
/// What infra/main.bicep would deploy for a set of parameters, as <c>bicep snapshot</c> predicts it
/// offline: every resource with its name, id and properties, expressions evaluated except those
/// that need Azure (<c>reference(...)</c>, secure parameters), which stay as text.
/// </summary>
public sealed class Deployment
{
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000a1";
    public const string TenantId = "00000000-0000-0000-0000-0000000000b2";
    public const string ResourceGroup = "rg-test";

    private readonly JsonObject _snapshot;

    private Deployment(JsonObject snapshot) => _snapshot = snapshot;

    public IEnumerable<JsonObject> Resources => _snapshot["predictedResources"]!.AsArray().Select(r => r!.AsObject());

    public JsonObject Outputs => _snapshot["outputs"]!.AsObject();

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type) => Assert.Single(OfType(type));

    public static JsonObject Properties(JsonObject resource) => resource["properties"]!.AsObject();

    public string IdentityId => (string)Single("Microsoft.ManagedIdentity/userAssignedIdentities")["id"]!;

    /// <summary>The Function App's settings by name; every value must be a string.</summary>
    public IReadOnlyDictionary<string, string> AppSettings =>
        Properties(Single("Microsoft.Web/sites/config")).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);

    /// <summary>Snapshots main.bicep with these <c>param</c> lines; fails the test with the CLI's words if it cannot.</summary>
    public static async Task<Deployment> SnapshotAsync(string parameters)
    {
        var (deployment, result) = await TrySnapshotAsync(parameters);
        return deployment ?? throw new InvalidOperationException($"bicep snapshot failed ({result.ExitCode}):\n{result.Output}");
    }

    public static Task<(Deployment? Deployment, BicepCli.Result Result)> TrySnapshotAsync(string parameters) =>
        TrySnapshotAsync(Repo.Path("infra", "main.bicep"), parameters);

    /// <summary>Snapshots any template. The .bicepparam goes in a temporary folder and names the template by a relative path, as Bicep requires.</summary>
    public static async Task<(Deployment? Deployment, BicepCli.Result Result)> TrySnapshotAsync(string template, string parameters)
    {
        var dir = Directory.CreateTempSubdirectory("deploy-tests-");
        try
        {
            var relative = Path.GetRelativePath(dir.FullName, template).Replace('\\', '/');
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "test.bicepparam"), $"using '{relative}'\n\n{parameters}\n");
            var result = await BicepCli.RunAsync(dir.FullName, "snapshot", "test.bicepparam",
                "--subscription-id", SubscriptionId, "--tenant-id", TenantId, "--resource-group", ResourceGroup, "--location", "westeurope");
            var file = Path.Combine(dir.FullName, "test.snapshot.json");
            if (result.ExitCode != 0 || !File.Exists(file)) return (null, result);
            return (new Deployment(JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject()), result);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

/// <summary>The parameter sets the tests deploy, each snapshotted once per test run.</summary>
public static class Deployments
{
    public const string AdminApiKey = "test-only-admin-api-key";
    public const string LinkSigningKey = "test-only-link-signing-key";
    public const string CouponCodeSecret = "test-only-coupon-code-secret";
    public const string FreshRandom = "test-only-fresh-random";
    public const string SendGridApiKey = "SG.test-only-sendgrid-api-key";
    public const string DeployerPrincipalId = "11111111-2222-3333-4444-555555555555";

    /// <summary>
    /// Everything on: three stores (one per platform), a previous link key, a deployer. No SendGrid key: whether
    /// there is one is read from a secure parameter, which a snapshot leaves unevaluated (see <see cref="WithSendGridKey"/>).
    /// </summary>
    public const string FullParameters = $$"""
        param environmentName = 'test'
        param principalId = '{{DeployerPrincipalId}}'
        param adminApiKey = '{{AdminApiKey}}'
        param linkSigningKey = '{{LinkSigningKey}}'
        param couponCodeSecret = '{{CouponCodeSecret}}'
        param freshRandom = '{{FreshRandom}}'
        param sendGridFromEmail = 'hello@shop.example'
        param sendGridFromName = 'Shop'
        param sendGridEventWebhookPublicKey = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE'
        param linkSigningKeyId = 'k2'
        param previousLinkSigningKeyId = 'k1'
        param stores = [
          {
            id: 'shop'
            name: 'The Shop'
            platform: 'shopify'
            timeZone: 'America/New_York'
            locale: 'en'
            currency: 'USD'
            country: 'US'
            fromEmail: 'hello@shop.example'
            physicalAddress: '1 Example Street, Springfield'
            shopDomain: 'the-shop.myshopify.com'
            unsubscribeGroupId: 4242
          }
          {
            id: 'tienda'
            name: 'La Tienda'
            platform: 'woocommerce'
            timeZone: 'Europe/Madrid'
            locale: 'es'
            currency: 'EUR'
            country: 'ES'
            fromEmail: 'hola@tienda.example'
            physicalAddress: 'Calle Ejemplo 1, Madrid'
          }
          {
            id: 'web2'
            name: 'Web'
            platform: 'custom'
            timeZone: 'Europe/London'
            locale: 'en'
            currency: 'GBP'
            country: 'GB'
            fromEmail: 'hello@web.example'
            physicalAddress: '2 Example Road, London'
          }
        ]
        param webhooks = [
          {
            name: 'support-desk'
            url: 'https://desk.example/hooks/low-score'
            hasAuthorization: true
          }
          {
            name: 'crm'
            url: 'https://crm.example/hook'
          }
        ]
        """;

    /// <summary>Only what has no default: no stores, no SendGrid key, no deployer; purge protection off.</summary>
    public const string BareParameters = $$"""
        param environmentName = 'bare'
        param adminApiKey = '{{AdminApiKey}}'
        param linkSigningKey = '{{LinkSigningKey}}'
        param couponCodeSecret = '{{CouponCodeSecret}}'
        param keyVaultPurgeProtection = false
        """;

    /// <summary>The bare set with a SendGrid key: the app settings stay one unevaluated expression.</summary>
    public const string WithSendGridKeyParameters = BareParameters + $$"""

        param sendGridApiKey = '{{SendGridApiKey}}'
        """;

    private static readonly Lazy<Task<Deployment>> FullSnapshot = new(() => Deployment.SnapshotAsync(FullParameters));
    private static readonly Lazy<Task<Deployment>> WithSendGridKeySnapshot = new(() => Deployment.SnapshotAsync(WithSendGridKeyParameters));
    private static readonly Lazy<Task<Deployment>> BareSnapshot = new(() => Deployment.SnapshotAsync(BareParameters));

    public static Task<Deployment> Full => FullSnapshot.Value;

    public static Task<Deployment> Bare => BareSnapshot.Value;

    public static Task<Deployment> WithSendGridKey => WithSendGridKeySnapshot.Value;
}
