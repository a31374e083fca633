using Automation.Functions.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace Automation.Functions.Recipients;

/// <summary>A verified link: its token and the store it belongs to, by the name recipients know.</summary>
public sealed record RecipientLink(LinkToken Token, string StoreName, string Raw);

/// <summary>What both recipient pages share: reading the link and the small form they post.</summary>
public static class RecipientLinks
{
    /// <summary>Forms here hold one or two short fields; anything bigger is not one of ours.</summary>
    public const int MaxFormBytes = 16 * 1024;

    private static readonly FormOptions Limits = new()
    {
        BufferBody = false,
        MultipartBodyLengthLimit = MaxFormBytes,
        ValueCountLimit = 16,
        ValueLengthLimit = 1024,
        KeyLengthLimit = 128,
        MultipartHeadersLengthLimit = 4096,
    };

    /// <summary>The link when its token verifies, has the right purpose and names a configured store; null for every failure alike.</summary>
    public static RecipientLink? Read(string token, string purpose, LinkTokens tokens, StoreDirectory stores, TimeProvider time, ILogger log)
    {
        var read = tokens.Read(token, time.GetUtcNow());
        string? why = read is null ? "bad signature, malformed or expired"
            : read.Purpose != purpose ? "wrong purpose"
            : !stores.TryGet(read.StoreId, out _) ? "unknown store" : null;
        if (why is not null)
        {
            Log.LinkRefused(log, why);
            return null;
        }
        stores.TryGet(read!.StoreId, out var store);
        return new RecipientLink(read, store.Name is { Length: > 0 } name ? name : read.StoreId, token);
    }

    /// <summary>The posted form, or a page naming what is wrong with the request.</summary>
    public static async Task<(IFormCollection? Form, IResult? Problem)> ReadFormAsync(HttpRequest request, RecipientText t, CancellationToken ct)
    {
        if (request.ContentLength > MaxFormBytes)
            return (null, new RecipientPage(StatusCodes.Status413PayloadTooLarge, t, t.TooLargeTitle, $"<h1>{RecipientPage.E(t.TooLargeTitle)}</h1><p>{RecipientPage.E(t.TooLargeBody)}</p>"));
        if (!request.HasFormContentType)
            return (null, RecipientPage.BadRequest(t, t.NotAForm));
        try
        {
            return (await request.ReadFormAsync(Limits, ct), null);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, RecipientPage.BadRequest(t, t.FormUnreadable));
        }
    }
}
