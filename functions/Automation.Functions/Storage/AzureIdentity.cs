using Azure.Core;
using Azure.Identity;

namespace Automation.Functions.Storage;

/// <summary>
/// The one credential the app uses for Azure services in Azure (Table and Queue storage, Service Bus):
/// <see cref="DefaultAzureCredential"/>, for the user-assigned managed identity named by
/// <c>AzureWebJobsStorage__clientId</c> (the same identity the Functions host uses for the account) or
/// <c>AZURE_CLIENT_ID</c>. Locally nothing asks for it: connection strings and SAS keys are used instead.
/// </summary>
public static class AzureIdentity
{
    public static string? ClientId(IConfiguration config) =>
        config["AzureWebJobsStorage:clientId"] is { Length: > 0 } id ? id : config["AZURE_CLIENT_ID"] is { Length: > 0 } env ? env : null;

    public static TokenCredential Credential(IConfiguration config) =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = ClientId(config) });
}
