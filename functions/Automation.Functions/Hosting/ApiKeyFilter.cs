using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Hosting;

/// <summary>Admin and events APIs: the <c>X-Api-Key</c> header must equal the configured key.</summary>
public sealed class ApiKeyFilter(IOptions<AutomationOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.AdminApiKey));
    private readonly bool _configured = options.Value.AdminApiKey.Length > 0;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var given = context.HttpContext.Request.Headers[Header].ToString();
        if (!_configured)
            return Problems.Status(StatusCodes.Status401Unauthorized, "API key not configured", "Set Automation__AdminApiKey to use this API.");
        if (given.Length == 0)
            return Problems.Status(StatusCodes.Status401Unauthorized, "Missing API key", $"Send the API key in the {Header} header.");
        // Compare digests so that the comparison takes the same time whatever the length given.
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _expected))
            return Problems.Status(StatusCodes.Status401Unauthorized, "Wrong API key", $"The {Header} header does not match the configured key.");
        return await next(context);
    }
}
