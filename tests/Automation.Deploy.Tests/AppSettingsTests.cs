using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Automation.Deploy.Tests.Infrastructure;

namespace Automation.Deploy.Tests;

/// <summary>The Function App's settings: the app's configuration contract, with no key or secret in them.</summary>
public partial class AppSettingsTests
{
    private const string KeyVaultReference = "@Microsoft.KeyVault(VaultName=";

    /// <summary>Everything the full parameter set should produce, and nothing more.</summary>
    private static readonly string[] FullSettings =
    [
        "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AZURE_CLIENT_ID",
        "ServiceBusConnection__fullyQualifiedNamespace", "ServiceBusConnection__credential", "ServiceBusConnection__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "Automation__QueueKind", "Automation__ServiceBus__Namespace", "Automation__ServiceBus__QueueName",
        "Automation__RunLocalConsumer", "Automation__RunLocalSweeper", "Automation__Clock", "Automation__MaxDeliveryCount",
        "Automation__AdminApiKey", "Automation__Coupons__CodeSecret",
        "Automation__Links__BaseUrl", "Automation__Links__SigningKeys__0__Id", "Automation__Links__SigningKeys__0__Secret",
        "Automation__Links__SigningKeys__1__Id", "Automation__Links__SigningKeys__1__Secret",
        "Automation__SendGrid__FromEmail", "Automation__SendGrid__FromName",
        "Automation__SendGrid__SandboxMode", "Automation__SendGrid__EventWebhookPublicKey",
        .. StoreSettings("shop", "WebhookSecret", "ShopDomain", "UnsubscribeGroupId"),
        .. StoreSettings("tienda", "WebhookSecret"),
        .. StoreSettings("web2"),
        "Automation__Webhooks__support_desk__Url", "Automation__Webhooks__support_desk__Authorization", "Automation__Webhooks__crm__Url",
    ];

    /// <summary>Flex Consumption refuses these as app settings (or they belong to other plans or to secrets).</summary>
    private static readonly string[] Refused =
    [
        "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_WORKER_RUNTIME_VERSION", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_MAX_HTTP_CONCURRENCY",
        "FUNCTIONS_WORKER_PROCESS_COUNT", "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED", "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTOVERVNET", "WEBSITE_NODE_DEFAULT_VERSION",
        "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT", "WEBSITE_SKIP_CONTENTSHARE_VALIDATION", "WEBSITE_VNET_ROUTE_ALL", "WEBSITE_DNS_SERVER",
        "SCM_DO_BUILD_DURING_DEPLOYMENT", "ENABLE_ORYX_BUILD", "AzureWebJobsStorage", "AzureWebJobsDashboard", "APPINSIGHTS_INSTRUMENTATIONKEY",
    ];

    private static IEnumerable<string> StoreSettings(string id, params string[] optional) =>
        new[] { "Name", "Platform", "TimeZone", "Locale", "Currency", "Country", "FromEmail", "PhysicalAddress" }
            .Concat(optional).Select(s => $"Automation__Stores__{id}__{s}");

    [Fact]
    public async Task Settings_are_exactly_the_apps_contract()
    {
        var settings = (await Deployments.Full).AppSettings;

        Assert.Equal(FullSettings.Order(StringComparer.Ordinal), settings.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_automation_setting_is_one_local_settings_sample_documents()
    {
        var sample = await File.ReadAllTextAsync(Repo.Path("local.settings.sample.json"));
        var settings = (await Deployments.Full).AppSettings.Keys.Where(k => k.StartsWith("Automation__", StringComparison.Ordinal));

        foreach (var name in settings)
        {
            // Per-store and per-webhook settings are documented once, for the sample's own store or webhook.
            var keyed = KeyedSetting().Match(name);
            var documented = keyed.Success
                ? Regex.IsMatch(sample, $@"""Automation__{keyed.Groups["kind"].Value}__[a-z0-9_-]+__{keyed.Groups["setting"].Value}""")
                  || Regex.IsMatch(sample, $@"//.*\b{keyed.Groups["setting"].Value}\b") // named in the comment that lists them
                : sample.Contains(ListIndex().Replace(name, "__0__"), StringComparison.Ordinal);
            Assert.True(documented, $"{name} is not in local.settings.sample.json, which documents every setting the app reads");
        }
    }

    [Fact]
    public async Task No_setting_flex_consumption_refuses_and_no_site_property_it_ignores()
    {
        var deployment = await Deployments.Full;
        var siteConfig = Deployment.Properties(deployment.Single("Microsoft.Web/sites"))["siteConfig"]!.AsObject();

        Assert.Empty(deployment.AppSettings.Keys.Intersect(Refused, StringComparer.OrdinalIgnoreCase));
        Assert.Empty(siteConfig.Select(p => p.Key).Intersect(["linuxFxVersion", "alwaysOn", "netFrameworkVersion", "use32BitWorkerProcess", "functionAppScaleLimit", "appSettings"]));
    }

    [Fact]
    public async Task No_setting_holds_an_account_key_a_sas_a_connection_string_or_a_secret_value()
    {
        var deployment = await Deployments.Full;
        var secureParameters = await SecureParameterNamesAsync();

        foreach (var (name, value) in deployment.AppSettings)
        {
            foreach (var forbidden in new[] { "AccountKey=", "SharedAccessKey", "SharedAccessSignature", "sig=", "InstrumentationKey=", "DefaultEndpointsProtocol", "Password=" })
                Assert.DoesNotContain(forbidden, value, StringComparison.OrdinalIgnoreCase);
            foreach (var literal in new[] { Deployments.AdminApiKey, Deployments.LinkSigningKey, Deployments.CouponCodeSecret, Deployments.SendGridApiKey, Deployments.FreshRandom })
                Assert.DoesNotContain(literal, value, StringComparison.Ordinal);
            foreach (var parameter in secureParameters)
                Assert.False(value.Contains($"parameters('{parameter}')", StringComparison.Ordinal), $"{name} copies the secure parameter {parameter}");
        }
        // The App Insights connection string is read from the component (local auth is off, so it grants nothing).
        Assert.Equal(
            $"[reference('{(string)deployment.Single("Microsoft.Insights/components")["id"]!}', '2020-02-02').ConnectionString]",
            deployment.AppSettings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
    }

    [Fact]
    public async Task No_template_lists_keys_or_connection_strings_of_any_resource()
    {
        var build = await BicepCli.RunAsync(Repo.Path("infra"), "build", "main.bicep", "--stdout");

        Assert.Equal(0, build.ExitCode);
        Assert.DoesNotMatch(ListFunction(), build.StdOut);
    }

    [Theory]
    [InlineData("Automation__AdminApiKey", "admin-api-key")]
    [InlineData("Automation__Links__SigningKeys__0__Secret", "link-signing-key")]
    [InlineData("Automation__Links__SigningKeys__1__Secret", "link-signing-key-previous")]
    [InlineData("Automation__Coupons__CodeSecret", "coupon-code-secret")]
    [InlineData("Automation__Stores__shop__WebhookSecret", "store-shop-webhook-secret")]
    [InlineData("Automation__Stores__tienda__WebhookSecret", "store-tienda-webhook-secret")]
    [InlineData("Automation__Webhooks__support_desk__Authorization", "webhook-support-desk-authorization")]
    public async Task A_secret_setting_is_a_key_vault_reference_to_its_secret_in_the_deployments_vault(string setting, string secret)
    {
        var deployment = await Deployments.Full;
        var vault = (string)deployment.Single("Microsoft.KeyVault/vaults")["name"]!;

        Assert.Equal($"@Microsoft.KeyVault(VaultName={vault};SecretName={secret})", deployment.AppSettings[setting]);
    }

    [Fact]
    public async Task Every_setting_named_like_a_secret_is_a_key_vault_reference()
    {
        var settings = (await Deployments.Full).AppSettings;

        var secretLike = settings.Where(s => SecretLikeName().IsMatch(s.Key)).ToList();
        Assert.Equal(6, secretLike.Count);
        Assert.All(secretLike, s => Assert.StartsWith(KeyVaultReference, s.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Storage_service_bus_and_telemetry_connect_with_the_user_assigned_identity()
    {
        var deployment = await Deployments.Full;
        var s = deployment.AppSettings;
        var clientId = $"[reference('{deployment.IdentityId}', '2023-01-31').clientId]";

        Assert.Equal(((string)deployment.Single("Microsoft.Storage/storageAccounts")["name"]!), s["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", s["AzureWebJobsStorage__credential"]);
        Assert.Equal(clientId, s["AzureWebJobsStorage__clientId"]);
        Assert.Equal(clientId, s["AZURE_CLIENT_ID"]);
        Assert.Equal("managedidentity", s["ServiceBusConnection__credential"]);
        Assert.Equal(clientId, s["ServiceBusConnection__clientId"]);
        // Fully qualified, the same host for the trigger and the app's publisher.
        Assert.Contains(".serviceBusEndpoint).host]", s["ServiceBusConnection__fullyQualifiedNamespace"], StringComparison.Ordinal);
        Assert.Equal(s["ServiceBusConnection__fullyQualifiedNamespace"], s["Automation__ServiceBus__Namespace"]);
        Assert.Equal($"[format('ClientId={{0}};Authorization=AAD', {clientId[1..^1]})]", s["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Theory]
    [InlineData("Automation__QueueKind", "ServiceBus")]
    [InlineData("Automation__ServiceBus__QueueName", "events")]
    [InlineData("Automation__RunLocalConsumer", "false")]
    [InlineData("Automation__RunLocalSweeper", "false")]
    [InlineData("Automation__Clock", "System")]
    [InlineData("Automation__MaxDeliveryCount", "5")]
    [InlineData("Automation__Links__SigningKeys__0__Id", "k1")]
    [InlineData("Automation__SendGrid__SandboxMode", "false")]
    public async Task The_app_runs_on_service_bus_with_the_triggers_and_the_system_clock(string setting, string value)
    {
        Assert.Equal(value, (await Deployments.Bare).AppSettings[setting]);
    }

    [Fact]
    public async Task Links_point_at_the_apps_own_host_name()
    {
        var baseUrl = (await Deployments.Bare).AppSettings["Automation__Links__BaseUrl"];

        Assert.StartsWith("[format('https://{0}', reference('", baseUrl, StringComparison.Ordinal);
        Assert.EndsWith(".defaultHostName)]", baseUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_sendgrid_key_a_previous_link_key_or_stores_their_settings_are_absent()
    {
        var s = (await Deployments.Bare).AppSettings;

        Assert.False(s.ContainsKey("Automation__SendGrid__ApiKey"), "a reference to a missing secret would hand the app its own text as a key");
        Assert.DoesNotContain(s.Keys, k => k.StartsWith("Automation__Links__SigningKeys__1__", StringComparison.Ordinal));
        Assert.DoesNotContain(s.Keys, k => k.StartsWith("Automation__Stores__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_sendgrid_key_the_app_gets_a_key_vault_reference_to_it()
    {
        // The key is a secure parameter, so the snapshot keeps the settings as the expression ARM will evaluate.
        var config = (await Deployments.WithSendGridKey).Single("Microsoft.Web/sites/config");
        var settings = (string)config["properties"]!;

        Assert.Contains(
            "if(not(empty(parameters('sendGridApiKey'))), createObject('Automation__SendGrid__ApiKey', format('@Microsoft.KeyVault(VaultName={0};SecretName={1})', parameters('keyVaultName'), variables('secretNames').sendGridApiKey)), createObject())",
            settings, StringComparison.Ordinal);
        Assert.DoesNotContain(Deployments.SendGridApiKey, settings, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Automation__Stores__shop__Name", "The Shop")]
    [InlineData("Automation__Stores__shop__Platform", "shopify")]
    [InlineData("Automation__Stores__shop__TimeZone", "America/New_York")]
    [InlineData("Automation__Stores__shop__ShopDomain", "the-shop.myshopify.com")]
    [InlineData("Automation__Stores__shop__UnsubscribeGroupId", "4242")]
    [InlineData("Automation__Stores__tienda__Platform", "woocommerce")]
    [InlineData("Automation__Stores__tienda__Currency", "EUR")]
    [InlineData("Automation__Stores__tienda__PhysicalAddress", "Calle Ejemplo 1, Madrid")]
    public async Task Store_settings_carry_each_stores_values(string setting, string value)
    {
        Assert.Equal(value, (await Deployments.Full).AppSettings[setting]);
    }

    [Fact]
    public async Task Optional_store_settings_appear_only_where_they_apply()
    {
        var s = (await Deployments.Full).AppSettings;

        Assert.False(s.ContainsKey("Automation__Stores__tienda__ShopDomain"));
        Assert.False(s.ContainsKey("Automation__Stores__tienda__UnsubscribeGroupId"));
        Assert.False(s.ContainsKey("Automation__Stores__web2__WebhookSecret"), "a custom store signs nothing; its events come with the admin key");
    }

    [Fact]
    public async Task A_store_id_with_a_dash_stops_the_deployment_and_says_why()
    {
        var parameters = Deployments.BareParameters + """

            param stores = [
              {
                id: 'demo-shop'
                name: 'Demo'
                platform: 'shopify'
                timeZone: 'UTC'
                locale: 'en'
                currency: 'USD'
                country: 'US'
                fromEmail: 'a@shop.example'
                physicalAddress: '1 Example Street'
              }
            ]
            """;

        var (deployment, result) = await Deployment.TrySnapshotAsync(parameters);

        Assert.Null(deployment);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Store id 'demo-shop' cannot be used: Azure app setting names take no '-'", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setting_names_use_only_what_app_service_on_linux_accepts()
    {
        var settings = (await Deployments.Full).AppSettings;

        Assert.All(settings.Keys, k => Assert.Matches(AppSettingName(), k));
    }

    private static async Task<string[]> SecureParameterNamesAsync()
    {
        var build = await BicepCli.RunAsync(Repo.Path("infra"), "build", "main.bicep", "--stdout");
        var parameters = JsonNode.Parse(build.StdOut)!["parameters"]!.AsObject();
        return [.. parameters.Where(p => (string?)p.Value!["type"] == "securestring").Select(p => p.Key)];
    }

    [GeneratedRegex(@"^Automation__(?<kind>Stores|Webhooks)__[a-z0-9_]+__(?<setting>\w+)$")]
    private static partial Regex KeyedSetting();

    [GeneratedRegex(@"__\d+__")]
    private static partial Regex ListIndex();

    [GeneratedRegex(@"(Secret|ApiKey)$")]
    private static partial Regex SecretLikeName();

    [GeneratedRegex(@"^[A-Za-z0-9_.]+$")]
    private static partial Regex AppSettingName();

    [GeneratedRegex(@"\blist[A-Za-z]*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunction();
}
