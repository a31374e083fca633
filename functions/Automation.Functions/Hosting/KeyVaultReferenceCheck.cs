namespace Automation.Functions.Hosting;

/// <summary>
/// In Azure, secrets arrive as app settings holding <c>@Microsoft.KeyVault(…)</c> references that the
/// platform replaces with the secret. When it cannot (the secret is missing, or the identity may not read
/// it) the app receives the reference text itself, which anyone can guess from the setting's name: used as
/// an admin key, a webhook secret or a link-signing key it would let anyone in. So such a value counts as
/// not set at all (admin APIs refuse everyone, a store's webhooks are answered 503 until its secret
/// resolves, emails that need a signed link fail saying so), and start-up names each such setting in the log.
/// </summary>
public sealed class KeyVaultReferenceCheck(KeyVaultReferenceCheck.Unresolved unresolved, ILogger<KeyVaultReferenceCheck> log) : IHostedService
{
    /// <summary>The settings found unresolved when the configuration was built, in their environment-variable names.</summary>
    public sealed record Unresolved(IReadOnlyList<string> Settings);

    public static IReadOnlyList<string> Find(IConfiguration config) =>
        config.AsEnumerable()
            .Where(kv => kv.Value is { } v && v.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv.Key)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Blanks every unresolved reference (a source added last wins) and says which they were.</summary>
    public static Unresolved Neutralise(IConfigurationBuilder builder, IConfiguration config)
    {
        var keys = Find(config);
        if (keys.Count > 0) builder.AddInMemoryCollection(keys.Select(k => new KeyValuePair<string, string?>(k, "")));
        return new Unresolved(keys.Select(k => k.Replace(":", "__", StringComparison.Ordinal)).ToList());
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var setting in unresolved.Settings)
            Log.KeyVaultReferenceUnresolved(log, setting);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
