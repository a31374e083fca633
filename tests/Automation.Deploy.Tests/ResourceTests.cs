using System.Text.Json.Nodes;
using System.Xml;
using Automation.Deploy.Tests.Infrastructure;

namespace Automation.Deploy.Tests;

/// <summary>The resources infra/main.bicep deploys, as <c>bicep snapshot</c> predicts them.</summary>
public class ResourceTests
{
    private const string AuthorizationSegment = "/providers/Microsoft.Authorization/roleAssignments/";

    [Fact]
    public async Task Storage_accepts_only_entra_tokens_over_tls_1_2_and_serves_no_public_blobs()
    {
        var deployment = await Deployments.Full;
        var account = Deployment.Properties(deployment.Single("Microsoft.Storage/storageAccounts"));

        Assert.False((bool)account["allowSharedKeyAccess"]!);
        Assert.True((bool)account["defaultToOAuthAuthentication"]!);
        Assert.Equal("TLS1_2", (string?)account["minimumTlsVersion"]);
        Assert.False((bool)account["allowBlobPublicAccess"]!);
        Assert.True((bool)account["supportsHttpsTrafficOnly"]!);
        var container = deployment.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal("None", (string?)Deployment.Properties(container)["publicAccess"]);
    }

    [Fact]
    public async Task Events_queue_is_session_enabled_deduplicated_and_outlasts_the_apps_own_delivery_count()
    {
        var deployment = await Deployments.Full;
        var queue = deployment.Single("Microsoft.ServiceBus/namespaces/queues");
        var q = Deployment.Properties(queue);
        var settings = deployment.AppSettings;

        Assert.EndsWith("/" + settings["Automation__ServiceBus__QueueName"], (string)queue["name"]!, StringComparison.Ordinal);
        // The trigger names its queue literally (the host cannot resolve %…% names holding "__"): the same queue.
        var trigger = JsonNode.Parse(File.ReadAllText(Repo.Path("functions", "Automation.Functions", "bindings", "ProcessEvents", "function.json")))!["bindings"]![0]!;
        Assert.EndsWith("/" + (string)trigger["queueName"]!, (string)queue["name"]!, StringComparison.Ordinal);
        Assert.True((bool)q["requiresSession"]!);
        Assert.True((bool)q["requiresDuplicateDetection"]!);
        Assert.True(XmlConvert.ToTimeSpan((string)q["duplicateDetectionHistoryTimeWindow"]!) >= TimeSpan.FromHours(1));
        // The app parks a message on its own last delivery; Service Bus must still be delivering then.
        Assert.True((int)q["maxDeliveryCount"]! > int.Parse(settings["Automation__MaxDeliveryCount"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True((bool)q["deadLetteringOnMessageExpiration"]!);
        Assert.Equal("PT1M", (string?)q["lockDuration"]);
        // Batch sends with distinct message ids are refused by a partitioned queue with duplicate detection.
        Assert.False((bool)q["enablePartitioning"]!);
    }

    [Fact]
    public async Task Service_bus_takes_no_sas_keys_and_is_standard_by_default()
    {
        var ns = (await Deployments.Bare).Single("Microsoft.ServiceBus/namespaces");

        Assert.True((bool)Deployment.Properties(ns)["disableLocalAuth"]!);
        Assert.Equal("Standard", (string?)ns["sku"]!["name"]);
    }

    [Fact]
    public async Task Function_app_runs_the_custom_handler_on_flex_consumption_deployed_from_its_container()
    {
        var deployment = await Deployments.Full;
        var plan = deployment.Single("Microsoft.Web/serverfarms");
        var site = deployment.Single("Microsoft.Web/sites");
        var config = Deployment.Properties(site)["functionAppConfig"]!;

        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool)Deployment.Properties(plan)["reserved"]!);
        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.Equal((string?)plan["id"], (string?)Deployment.Properties(site)["serverFarmId"]);
        Assert.True((bool)Deployment.Properties(site)["httpsOnly"]!);
        Assert.Equal("custom", (string?)config["runtime"]!["name"]);
        Assert.Equal("1.0", (string?)config["runtime"]!["version"]);
        var storage = config["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Contains(ContainerName(deployment), (string)storage["value"]!, StringComparison.Ordinal);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
        Assert.Equal(deployment.IdentityId, (string?)storage["authentication"]!["userAssignedIdentityResourceId"]);
        Assert.Equal(40, (int)config["scaleAndConcurrency"]!["maximumInstanceCount"]!);
        Assert.Equal(2048, (int)config["scaleAndConcurrency"]!["instanceMemoryMB"]!);
    }

    [Fact]
    public async Task Function_app_runs_as_the_user_assigned_identity_and_resolves_key_vault_references_with_it()
    {
        var deployment = await Deployments.Full;
        var site = deployment.Single("Microsoft.Web/sites");

        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
        Assert.Equal([deployment.IdentityId], site["identity"]!["userAssignedIdentities"]!.AsObject().Select(i => i.Key));
        Assert.Equal(deployment.IdentityId, (string?)Deployment.Properties(site)["keyVaultReferenceIdentity"]);
    }

    [Fact]
    public async Task Function_app_is_the_service_azd_deploys_to()
    {
        var site = (await Deployments.Full).Single("Microsoft.Web/sites");

        Assert.Equal("functions", (string?)site["tags"]!["azd-service-name"]);
        Assert.Equal("test", (string?)site["tags"]!["azd-env-name"]);
    }

    [Fact]
    public async Task Key_vault_authorizes_with_rbac_and_keeps_deleted_secrets_with_purge_protection_by_default()
    {
        var vault = Deployment.Properties((await Deployments.Full).Single("Microsoft.KeyVault/vaults"));
        var bare = Deployment.Properties((await Deployments.Bare).Single("Microsoft.KeyVault/vaults"));

        Assert.True((bool)vault["enableRbacAuthorization"]!);
        Assert.True((bool)vault["enableSoftDelete"]!);
        Assert.True((bool)vault["enablePurgeProtection"]!);
        // The API refuses an explicit false: turned off, the property is absent.
        Assert.Null(bare["enablePurgeProtection"]);
        Assert.True((bool)bare["enableSoftDelete"]!);
    }

    [Fact]
    public async Task Key_vault_gets_the_three_generated_secrets_and_the_sendgrid_key_only_when_given()
    {
        var deployment = await Deployments.Full;
        var secrets = deployment.OfType("Microsoft.KeyVault/vaults/secrets").ToDictionary(s => ((string)s["name"]!).Split('/')[1]);

        Assert.Equal(["admin-api-key", "coupon-code-secret", "link-signing-key", "sendgrid-api-key"], secrets.Keys.Order(StringComparer.Ordinal));
        // Secure parameter values stay unevaluated in a snapshot: each secret is fed from its own parameter.
        Assert.Contains("parameters('adminApiKey')", Value(secrets["admin-api-key"]), StringComparison.Ordinal);
        Assert.Contains("parameters('linkSigningKey')", Value(secrets["link-signing-key"]), StringComparison.Ordinal);
        Assert.Contains("parameters('couponCodeSecret')", Value(secrets["coupon-code-secret"]), StringComparison.Ordinal);
        Assert.Equal("[parameters('sendGridApiKey')]", Value(secrets["sendgrid-api-key"]));
        Assert.Equal("[not(empty(parameters('sendGridApiKey')))]", (string?)secrets["sendgrid-api-key"]["condition"]);
        Assert.DoesNotContain("store-", string.Join(' ', secrets.Keys), StringComparison.Ordinal);

        static string Value(JsonObject secret) => (string)Deployment.Properties(secret)["value"]!;
    }

    [Fact]
    public async Task App_insights_is_workspace_based_and_takes_only_entra_authenticated_telemetry()
    {
        var deployment = await Deployments.Full;
        var insights = Deployment.Properties(deployment.Single("Microsoft.Insights/components"));

        Assert.True((bool)insights["DisableLocalAuth"]!);
        Assert.Equal((string?)deployment.Single("Microsoft.OperationalInsights/workspaces")["id"], (string?)insights["WorkspaceResourceId"]);
    }

    [Fact]
    public async Task The_identity_holds_exactly_the_roles_it_needs_each_on_the_one_resource_it_serves()
    {
        var deployment = await Deployments.Full;
        string IdOf(string type) => (string)deployment.Single(type)["id"]!;
        var expected = new Dictionary<string, string>
        {
            ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = IdOf("Microsoft.Storage/storageAccounts"), // Storage Table Data Contributor
            ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = IdOf("Microsoft.Storage/storageAccounts"), // Storage Queue Data Contributor
            ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = IdOf("Microsoft.Storage/storageAccounts"), // Storage Blob Data Owner
            // Send, receive, and the queue's message count, which Flex's target-based scaler reads.
            ["090c5cfd-751d-490a-894a-3ce6f1109419"] = IdOf("Microsoft.ServiceBus/namespaces/queues"), // Azure Service Bus Data Owner (the queue only)
            ["4633458b-17de-408a-b874-0445c86b69e6"] = IdOf("Microsoft.KeyVault/vaults"), // Key Vault Secrets User
            ["3913510d-42f4-4e42-8a64-420c390055eb"] = IdOf("Microsoft.Insights/components"), // Monitoring Metrics Publisher
        };

        var granted = RoleAssignments(deployment)
            .Where(a => a.Principal.Contains(deployment.IdentityId, StringComparison.Ordinal))
            .ToList();

        Assert.All(granted, a => Assert.EndsWith(".principalId]", a.Principal, StringComparison.Ordinal));
        Assert.Equal(expected.Count, granted.Count);
        Assert.Equal(expected.OrderBy(e => e.Key), granted.Select(a => KeyValuePair.Create(a.Role, a.Scope)).OrderBy(e => e.Key));
    }

    [Fact]
    public async Task The_deployer_may_write_secrets_in_the_vault_only_when_azd_names_them()
    {
        var full = await Deployments.Full;
        var bare = await Deployments.Bare;

        var deployer = Assert.Single(RoleAssignments(full), a => a.Principal == Deployments.DeployerPrincipalId);
        Assert.Equal("b86a8fe4-44ce-4948-aee5-eccb2c155cd7", deployer.Role); // Key Vault Secrets Officer
        Assert.Equal((string?)full.Single("Microsoft.KeyVault/vaults")["id"], deployer.Scope);
        // Everyone else granted anything is the app's identity.
        Assert.All(RoleAssignments(bare), a => Assert.Contains(bare.IdentityId, a.Principal, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Outputs_give_azd_and_the_docs_the_names_they_use()
    {
        var outputs = (await Deployments.Full).Outputs;

        foreach (var name in new[]
        {
            "AZURE_KEY_VAULT_NAME", "AZURE_FUNCTION_APP_NAME", "AZURE_FUNCTION_APP_URL", "AZURE_RESOURCE_GROUP",
            "AZURE_STORAGE_ACCOUNT_NAME", "AZURE_SERVICE_BUS_NAMESPACE", "AZURE_SERVICE_BUS_QUEUE_NAME",
            "AZURE_APPLICATION_INSIGHTS_NAME", "AZURE_LOG_ANALYTICS_WORKSPACE_ID", "AZURE_LOCATION", "AZURE_TENANT_ID",
        })
            Assert.True(outputs.ContainsKey(name), $"output {name} is missing");
        Assert.Equal("events", (string?)outputs["AZURE_SERVICE_BUS_QUEUE_NAME"]);
    }

    private static string ContainerName(Deployment deployment) =>
        ((string)deployment.Single("Microsoft.Storage/storageAccounts/blobServices/containers")["name"]!).Split('/')[^1];

    private sealed record Grant(string Role, string Scope, string Principal);

    private static IEnumerable<Grant> RoleAssignments(Deployment deployment) =>
        deployment.OfType("Microsoft.Authorization/roleAssignments").Select(a =>
        {
            var id = (string)a["id"]!;
            var properties = Deployment.Properties(a);
            return new Grant(
                ((string)properties["roleDefinitionId"]!).Split('/')[^1],
                id[..id.IndexOf(AuthorizationSegment, StringComparison.OrdinalIgnoreCase)],
                (string)properties["principalId"]!);
        });
}
