namespace Automation.Functions.Hosting;

/// <summary>
/// In Azure, secrets arrive as app settings holding <c>@Microsoft.KeyVault(…)</c> references that the
/// platform replaces with the secret. When it cannot (the secret is missing, or the identity may not read
/// it) the app receives the reference text itself, and a store's webhooks would fail their signature
/// check for no visible reason. At start-up this names every such setting in the log (the setting's
/// name only: the reference holds no secret, but nothing here reads further than the prefix).
/// </summary>
internal sealed class KeyVaultReferenceCheck(IConfiguration config, ILogger<KeyVaultReferenceCheck> log) : IHostedService
{
    public static IReadOnlyList<string> Unresolved(IConfiguration config) =>
        config.AsEnumerable()
            .Where(kv => kv.Value is { } v && v.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var setting in Unresolved(config))
            Log.KeyVaultReferenceUnresolved(log, setting);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
