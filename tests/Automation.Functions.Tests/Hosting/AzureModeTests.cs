using Automation.Functions.Hosting;
using Automation.Functions.Queues;
using Automation.Functions.Storage;
using Automation.Functions.Tests.Infrastructure;
using static Automation.Functions.Tests.Http.HttpKit;
using Microsoft.Extensions.Configuration;

namespace Automation.Functions.Tests.Hosting;

/// <summary>Azure or local is chosen by configuration alone: the same build runs in both.</summary>
public sealed class AzureModeTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void An_account_name_means_the_managed_identity_against_the_real_endpoints()
    {
        var clients = new StorageClients(Config(("AzureWebJobsStorage:accountName", "automationprod"), ("AzureWebJobsStorage:clientId", "11111111-2222-3333-4444-555555555555")), new StorageOperationCounter());
        Assert.Equal("https://automationprod.table.core.windows.net/customers", clients.Table("customers").Uri.ToString());
        Assert.Equal("https://automationprod.queue.core.windows.net/events", clients.Queue("events").Uri.ToString());
    }

    [Fact]
    public void A_connection_string_or_nothing_means_the_emulator_or_that_account()
    {
        Assert.StartsWith("http://127.0.0.1:10002/devstoreaccount1", new StorageClients(Config(), new StorageOperationCounter()).Table("customers").Uri.ToString());
        var named = new StorageClients(Config(("AzureWebJobsStorage", "DefaultEndpointsProtocol=https;AccountName=other;AccountKey=a2V5;EndpointSuffix=core.windows.net")), new StorageOperationCounter());
        Assert.Equal("https://other.table.core.windows.net/customers", named.Table("customers").Uri.ToString());
    }

    [Fact]
    public void The_identity_is_the_one_the_host_uses_for_storage_or_AZURE_CLIENT_ID()
    {
        Assert.Equal("a", AzureIdentity.ClientId(Config(("AzureWebJobsStorage:clientId", "a"), ("AZURE_CLIENT_ID", "b"))));
        Assert.Equal("b", AzureIdentity.ClientId(Config(("AZURE_CLIENT_ID", "b"))));
        Assert.Null(AzureIdentity.ClientId(Config()));
    }

    [Fact]
    public async Task QueueKind_ServiceBus_publishes_through_Service_Bus_and_the_default_through_the_storage_queue()
    {
        await using (var local = await TestApp.StartAsync())
            Assert.IsType<StorageQueueEventQueue>(local.Get<IEventQueue>());
        await using var azure = await TestApp.StartAsync(new()
        {
            ["Automation:QueueKind"] = "ServiceBus",
            ["Automation:ServiceBus:Namespace"] = "automation-prod.servicebus.windows.net",
            ["AzureWebJobsStorage:clientId"] = "11111111-2222-3333-4444-555555555555",
        });
        Assert.IsType<ServiceBusEventQueue>(azure.Get<IEventQueue>());
    }

    [Fact]
    public void Key_Vault_references_the_platform_left_unresolved_are_found_by_setting()
    {
        var config = Config(
            ("Automation:Stores:shop:WebhookSecret", "@Microsoft.KeyVault(VaultName=kv;SecretName=store-shop-webhook-secret)"),
            ("Automation:AdminApiKey", "resolved-value"),
            ("Automation:SendGrid:ApiKey", " @microsoft.keyvault(SecretUri=https://kv.vault.azure.net/secrets/sendgrid-api-key/)"));
        Assert.Equal(["Automation:SendGrid:ApiKey", "Automation:Stores:shop:WebhookSecret"], KeyVaultReferenceCheck.Find(config));
    }

    [Fact]
    public async Task An_unresolved_reference_counts_as_not_set_so_its_guessable_text_opens_nothing()
    {
        const string AdminReference = "@Microsoft.KeyVault(VaultName=kv-automation;SecretName=admin-api-key)";
        await using var app = await TestApp.StartAsync(new() { ["Automation:AdminApiKey"] = AdminReference });

        var journeys = new HttpRequestMessage(HttpMethod.Get, "/api/journeys");
        journeys.Headers.Add("X-Api-Key", AdminReference);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await app.Http.SendAsync(journeys)).StatusCode);
        Assert.Equal(["Automation__AdminApiKey"], app.Get<KeyVaultReferenceCheck.Unresolved>().Settings);
    }

    [Fact]
    public async Task A_store_whose_webhook_secret_did_not_resolve_answers_503_and_the_other_stores_go_on()
    {
        const string ShopReference = "@Microsoft.KeyVault(VaultName=kv-automation;SecretName=store-shop-webhook-secret)";
        await using var app = await TestApp.StartAsync(new() { ["Automation:Stores:shop:WebhookSecret"] = ShopReference });
        var body = System.Text.Encoding.UTF8.GetBytes("""{"id": 1}""");

        // Neither the reference text nor an empty key signs anything: the delivery waits for the secret.
        foreach (var key in new[] { ShopReference, "" })
            await app.ProblemAsync(app.Shopify("customers/update", body, signature: TestApp.Sign(key, body)),
                System.Net.HttpStatusCode.ServiceUnavailable, "Automation__Stores__shop__WebhookSecret");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.Http.SendAsync(app.Woo("customer.updated", body))).StatusCode);
    }

    [Fact]
    public void A_webhook_name_with_a_dash_can_be_set_with_an_underscore_as_Linux_app_settings_require()
    {
        var options = new AutomationOptions();
        options.Webhooks["support_desk"] = new() { Url = "https://desk.example.test/hook" };
        options.Webhooks["crm"] = new() { Url = "https://crm.example.test/hook" };

        Assert.Equal("https://desk.example.test/hook", Automation.Functions.Notifications.WebhookNotifier.Target(options, "support-desk")?.Url);
        Assert.Equal("https://crm.example.test/hook", Automation.Functions.Notifications.WebhookNotifier.Target(options, "crm")?.Url);
        Assert.Null(Automation.Functions.Notifications.WebhookNotifier.Target(options, "billing"));
    }
}
