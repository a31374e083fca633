using System.Text.Json;

namespace Automation.Functions.Hosting;

/// <summary>
/// Reads the <c>Values</c> of <c>local.settings.json</c> as Azure Functions Core Tools does, so
/// that the app run on its own sees the same settings as under the Functions host. Keys use
/// <c>__</c> as the section separator, as environment variables do.
/// </summary>
internal sealed class LocalSettingsConfigurationSource(string path) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(path);

    /// <summary>The first local.settings.json in the working directory or one of its parents.</summary>
    public static string? Find(string startDirectory)
    {
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "local.settings.json");
            if (File.Exists(candidate)) return candidate;
            if (File.Exists(Path.Combine(dir.FullName, "host.json"))) return null;
        }
        return null;
    }

    private sealed class Provider(string path) : ConfigurationProvider
    {
        public override void Load()
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!doc.RootElement.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object) return;
            foreach (var p in values.EnumerateObject())
                Data[p.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
        }
    }
}
