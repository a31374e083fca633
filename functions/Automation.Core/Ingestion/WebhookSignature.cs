using System.Security.Cryptography;
using System.Text;

namespace Automation.Core.Ingestion;

/// <summary>Checks the signatures Shopify and WooCommerce put on their webhooks.</summary>
public static class WebhookSignature
{
    private const int HmacSha256Length = 32;

    /// <summary>
    /// True when <paramref name="signatureHeader"/> is the base64 HMAC-SHA256 of the raw
    /// <paramref name="body"/> keyed with <paramref name="secret"/> (UTF-8): the scheme of
    /// <c>X-Shopify-Hmac-Sha256</c> and <c>X-WC-Webhook-Signature</c>. The bytes are compared in
    /// constant time so that a forger cannot learn the signature a byte at a time.
    /// A missing or malformed header is false, and so is an empty secret: an unconfigured
    /// secret must reject everything rather than accept what anyone can sign with "".
    /// </summary>
    public static bool IsValidHmacSha256Base64(ReadOnlySpan<byte> body, string secret, string? signatureHeader)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrWhiteSpace(signatureHeader)) return false;

        // One spare byte, so that a longer (truncated-looking) value is caught by length, not accepted.
        Span<byte> given = stackalloc byte[HmacSha256Length + 1];
        if (!Convert.TryFromBase64String(signatureHeader.Trim(), given, out var written) || written != HmacSha256Length)
            return false;

        Span<byte> expected = stackalloc byte[HmacSha256Length];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given[..written]);
    }
}
