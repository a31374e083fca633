using System.Security.Cryptography;
using System.Text;
using Automation.Core.Ingestion;

namespace Automation.Core.Tests.Ingestion;

public sealed class WebhookSignatureTests
{
    private const string Secret = "shpss_test_secret";

    // Computed outside .NET: printf '%s' "$Body" | openssl dgst -sha256 -hmac "$Secret" -binary | base64
    private const string Body = """{"id":5961433645200000001,"email":"jon@example.com"}""";
    private const string BodySignature = "6Kk9O5IhkMD27mWK5D90z+Bm3y3/arHbBWL3S0qzxbI=";

    private static readonly byte[] Payload = WebhookFixtures.Bytes("shopify", "orders-create.json");

    private static string Sign(byte[] body, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    [Fact]
    public void signature_computed_over_the_raw_body_is_valid()
    {
        Assert.True(WebhookSignature.IsValidHmacSha256Base64(Payload, Secret, Sign(Payload, Secret)));
    }

    [Fact]
    public void signature_computed_by_openssl_is_valid()
    {
        Assert.True(WebhookSignature.IsValidHmacSha256Base64(Encoding.UTF8.GetBytes(Body), Secret, BodySignature));
    }

    [Fact]
    public void surrounding_whitespace_in_the_header_is_tolerated()
    {
        Assert.True(WebhookSignature.IsValidHmacSha256Base64(Encoding.UTF8.GetBytes(Body), Secret, " " + BodySignature + " "));
    }

    [Fact]
    public void signature_made_with_another_secret_is_invalid()
    {
        Assert.False(WebhookSignature.IsValidHmacSha256Base64(Payload, Secret, Sign(Payload, "another_secret")));
    }

    [Fact]
    public void tampered_body_is_invalid()
    {
        var tampered = (byte[])Payload.Clone();
        tampered[^3] ^= 0x01;

        Assert.False(WebhookSignature.IsValidHmacSha256Base64(tampered, Secret, Sign(Payload, Secret)));
    }

    [Fact]
    public void body_reformatted_after_signing_is_invalid()
    {
        var reformatted = Encoding.UTF8.GetBytes(Body.Replace(",", ", ", StringComparison.Ordinal));

        Assert.False(WebhookSignature.IsValidHmacSha256Base64(reformatted, Secret, BodySignature));
    }

    [Theory]
    [InlineData("not base64!!")]
    [InlineData("6Kk9O5IhkMD27mWK5D90z+Bm3y3/arHbBWL3S0qzxbI")]
    [InlineData("6Kk9O5IhkMD27mWK5D90z+Bm3y3/arHbBWL3S0qzxbI=6Kk9")]
    public void malformed_base64_is_invalid(string header)
    {
        Assert.False(WebhookSignature.IsValidHmacSha256Base64(Encoding.UTF8.GetBytes(Body), Secret, header));
    }

    [Fact]
    public void signature_of_the_wrong_length_is_invalid()
    {
        var full = Convert.FromBase64String(BodySignature);

        Assert.False(WebhookSignature.IsValidHmacSha256Base64(Encoding.UTF8.GetBytes(Body), Secret, Convert.ToBase64String(full[..31])));
        Assert.False(WebhookSignature.IsValidHmacSha256Base64(Encoding.UTF8.GetBytes(Body), Secret, Convert.ToBase64String([.. full, 0])));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void missing_header_is_invalid(string? header)
    {
        Assert.False(WebhookSignature.IsValidHmacSha256Base64(Payload, Secret, header));
    }

    [Fact]
    public void empty_secret_rejects_even_a_signature_made_with_it()
    {
        Assert.False(WebhookSignature.IsValidHmacSha256Base64(Payload, "", Sign(Payload, "")));
    }
}
