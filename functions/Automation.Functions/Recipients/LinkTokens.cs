using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Recipients;

/// <summary>What a recipient's link stands for. No email address or name: the token travels in URLs.</summary>
/// <param name="Purpose"><see cref="LinkPurposes"/>.</param>
/// <param name="SendId">The message the link came in (the outbox action key), so answers map back to it.</param>
public sealed record LinkToken(string Purpose, string StoreId, string CustomerKey, string? JourneyId, string? SendId, DateTimeOffset ExpiresAt);

public static class LinkPurposes
{
    public const string Unsubscribe = "u", Survey = "s";
}

/// <summary>
/// Signed, expiring, tamper-proof tokens for the links in emails: <c>base64url(json).base64url(hmac)</c>,
/// the HMAC-SHA256 over the first part with the key the JSON names, so keys can be rotated (sign with the
/// first, verify with any). Reading reveals nothing on failure but that it failed.
/// </summary>
public sealed class LinkTokens(IOptions<LinkOptions> options)
{
    private readonly LinkOptions _options = options.Value;

    public bool CanSign => _options.SigningKeys.Count > 0 && _options.SigningKeys[0].Secret.Length > 0;

    public string Create(LinkToken token)
    {
        if (!CanSign) throw new InvalidOperationException("No link-signing key is configured (Automation__Links__SigningKeys__0__Id and __Secret).");
        var key = _options.SigningKeys[0];
        var body = new Body(token.Purpose, token.StoreId, token.CustomerKey, token.JourneyId, token.SendId, token.ExpiresAt.ToUnixTimeSeconds(), key.Id);
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(body, Json));
        return payload + "." + Base64Url(Mac(key.Secret, payload));
    }

    /// <summary>The token's content when its signature holds and it has not expired at <paramref name="now"/>; otherwise null.</summary>
    public LinkToken? Read(string? token, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048) return null;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0) return null;
        var payload = token[..dot];
        Body? body;
        try
        {
            body = JsonSerializer.Deserialize<Body>(FromBase64Url(payload), Json);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }
        if (body?.K is null || _options.SigningKeys.FirstOrDefault(k => k.Id == body.K) is not { Secret.Length: > 0 } key) return null;
        byte[] mac;
        try
        {
            mac = FromBase64Url(token[(dot + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(mac, Mac(key.Secret, payload))) return null;
        if (body.P is null || body.S is null || body.C is null) return null;
        var expires = DateTimeOffset.FromUnixTimeSeconds(body.E);
        return expires <= now ? null : new LinkToken(body.P, body.S, body.C, body.J, body.M, expires);
    }

    public string UnsubscribeUrl(string token) => $"{_options.BaseUrl.TrimEnd('/')}/api/r/unsubscribe/{token}";

    public string SurveyUrl(string token, int score) => $"{_options.BaseUrl.TrimEnd('/')}/api/r/survey/{token}?score={score}";

    public TimeSpan UnsubscribeLifetime => TimeSpan.FromDays(_options.UnsubscribeDays);
    public TimeSpan SurveyLifetime => TimeSpan.FromDays(_options.SurveyDays);

    private static byte[] Mac(string secret, string payload) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(payload));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b.PadRight(b.Length + (4 - b.Length % 4) % 4, '='));
    }

    // Short names keep links short; persisted in every link ever sent: they never change.
    private sealed record Body(string? P, string? S, string? C, string? J, string? M, long E, string? K);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
