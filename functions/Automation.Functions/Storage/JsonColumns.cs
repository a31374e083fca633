using Azure.Data.Tables;

namespace Automation.Functions.Storage;

/// <summary>
/// A JSON document kept in string columns <c>{name}</c>, <c>{name}1</c>, … because one string
/// property holds at most 32K characters (64 KiB).
/// </summary>
internal static class JsonColumns
{
    /// <summary>Stored documents: the queue's JSON shape, deeper (instances and outbox rows carry event data a few levels down).</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Options = new(Automation.Core.Events.EventJson.Options) { MaxDepth = 128 };

    private const int ChunkChars = 30_000;

    public static void Write(TableEntity e, string name, string json)
    {
        for (var i = 0; i * ChunkChars < json.Length; i++)
            e[i == 0 ? name : name + i] = json.Substring(i * ChunkChars, Math.Min(ChunkChars, json.Length - i * ChunkChars));
    }

    /// <summary>
    /// Every column a document <paramref name="name"/> can occupy, for a query's <c>select</c>: an entity
    /// holds at most 1 MiB, so at most 18 chunks of <see cref="ChunkChars"/> UTF-16 characters.
    /// </summary>
    public static IEnumerable<string> Names(string name) =>
        Enumerable.Range(0, 1 + (1024 * 1024 / (ChunkChars * 2))).Select(i => i == 0 ? name : name + i);

    public static string? Read(TableEntity e, string name)
    {
        if (e.GetString(name) is not { } doc) return null;
        for (var i = 1; e.GetString(name + i) is { } more; i++) doc += more;
        return doc;
    }
}
