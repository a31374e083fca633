using Microsoft.Extensions.Options;

namespace Automation.Functions.Hosting;

/// <summary>Reads a request's raw body (signatures are over the exact bytes) up to a limit.</summary>
public sealed class RequestBody(IOptions<AutomationOptions> options)
{
    private readonly int _max = options.Value.MaxBodyBytes;

    /// <summary>The body, or a 413 problem when it is larger than the limit.</summary>
    public async Task<(byte[]? Body, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > _max) return (null, TooLarge());
        using var buffer = new MemoryStream(request.ContentLength is { } n ? (int)n : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > _max) return (null, TooLarge());
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }

    private IResult TooLarge() => Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large",
        $"The body is larger than the {_max / 1024} KiB this endpoint accepts.");
}
