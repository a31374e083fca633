using Microsoft.Extensions.Options;

namespace Automation.Functions.Hosting;

/// <summary>Reads a request's raw body (signatures are over the exact bytes) up to a limit.</summary>
public sealed class RequestBody(IOptions<AutomationOptions> options)
{
    private readonly int _max = options.Value.MaxBodyBytes;

    /// <summary>The body, or a 413 problem when it is larger than the limit.</summary>
    public Task<(byte[]? Body, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct) => ReadAsync(request, _max, ct);

    /// <summary>The body, or a 413 problem when it is larger than <paramref name="max"/> (an endpoint's own, smaller limit) or the configured one.</summary>
    public async Task<(byte[]? Body, IResult? Problem)> ReadAsync(HttpRequest request, int max, CancellationToken ct)
    {
        var limit = Math.Min(max, _max);
        if (request.ContentLength > limit) return (null, TooLarge(limit));
        using var buffer = new MemoryStream(request.ContentLength is { } n ? (int)n : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit) return (null, TooLarge(limit));
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }

    private static IResult TooLarge(int limit) => Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large",
        $"The body is larger than the {limit / 1024} KiB this endpoint accepts.");
}
