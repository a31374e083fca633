using System.Security.Cryptography;
using System.Text;
using Automation.Functions.Email;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Webhooks.SendGrid;

/// <summary>
/// Checks SendGrid's Signed Event Webhook: ECDSA P-256 with SHA-256 over the UTF-8 bytes of the
/// <c>X-Twilio-Email-Event-Webhook-Timestamp</c> value followed by the raw body; the signature is
/// base64 DER, the key base64 DER SubjectPublicKeyInfo from SendGrid's settings page.
/// </summary>
public sealed class SendGridSignature(IOptions<SendGridOptions> options, TimeProvider time)
{
    /// <summary>
    /// How old a signed delivery may be. SendGrid retries a failed delivery for up to 24 hours and does not say whether
    /// a retry is signed anew; three days covers that, and every event id seen in that time is still de-duplicated,
    /// so a captured delivery replayed later is refused here, and one replayed sooner applies nothing twice.
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(3);

    /// <summary>How far ahead of our clock a timestamp may be (clock skew).</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromMinutes(10);

    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    private readonly byte[]? _key = Decode(options.Value.EventWebhookPublicKey);
    private readonly bool _configured = !string.IsNullOrWhiteSpace(options.Value.EventWebhookPublicKey);

    /// <summary>Null when the request is signed by SendGrid, otherwise why not (for a 401).</summary>
    public string? Refuse(HttpRequest request, byte[] body)
    {
        if (!_configured) return "The SendGrid event webhook verification key is not configured (Automation__SendGrid__EventWebhookPublicKey); every delivery is refused.";
        if (_key is null) return "The configured SendGrid event webhook verification key is not a base64 DER P-256 public key.";
        var signature = request.Headers[SignatureHeader].ToString();
        var timestamp = request.Headers[TimestampHeader].ToString();
        if (signature.Length == 0) return $"The {SignatureHeader} header is missing.";
        if (timestamp.Length == 0) return $"The {TimestampHeader} header is missing.";
        if (!Verify(timestamp, body, signature)) return $"The {SignatureHeader} signature does not match the timestamp and body.";
        var now = time.GetUtcNow();
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || DateTimeOffset.FromUnixTimeSeconds(seconds) is var at && (at < now - MaxAge || at > now + MaxAhead))
            return $"The {TimestampHeader} is not a time within the last {MaxAge.TotalDays:0} days: a replayed or badly delayed delivery.";
        return null;
    }

    private bool Verify(string timestamp, byte[] body, string signature)
    {
        byte[] der;
        try
        {
            der = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return false;
        }
        var stamp = Encoding.UTF8.GetBytes(timestamp);
        var signed = new byte[stamp.Length + body.Length];
        stamp.CopyTo(signed, 0);
        body.CopyTo(signed, stamp.Length);
        // A fresh instance per request: cheap, and no question of sharing one across threads.
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(_key, out _);
        try
        {
            return ecdsa.VerifyData(signed, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static byte[]? Decode(string? key)
    {
        if (string.IsNullOrWhiteSpace(key)) return null;
        try
        {
            var bytes = Convert.FromBase64String(key.Trim());
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(bytes, out _);
            return ecdsa.KeySize == 256 ? bytes : null;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
