using System.Text;
using Automation.Functions.Recipients;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Automation.Functions.Tests.Recipients;

/// <summary>Signed link tokens: pure, with a fake clock.</summary>
public sealed class LinkTokenTests
{
    private const string OldSecret = "old-secret-0123456789abcdef0123456789abcdef";
    private const string NewSecret = "new-secret-fedcba9876543210fedcba9876543210";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    private static LinkTokens Tokens(params (string Id, string Secret)[] keys) => new(Options.Create(new LinkOptions
    {
        SigningKeys = [.. keys.Select(k => new SigningKey { Id = k.Id, Secret = k.Secret })],
    }));

    private LinkToken Sample(TimeSpan? life = null) =>
        new(LinkPurposes.Unsubscribe, "shop", "id:7", "first-order-follow-up", "act-1", _clock.GetUtcNow() + (life ?? TimeSpan.FromDays(30)));

    [Fact]
    public void a_token_reads_back_as_what_was_signed()
    {
        var tokens = Tokens(("k1", OldSecret));
        var sample = Sample();
        var read = tokens.Read(tokens.Create(sample), _clock.GetUtcNow());
        Assert.Equal(sample with { ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(sample.ExpiresAt.ToUnixTimeSeconds()) }, read);
    }

    [Fact]
    public void a_token_carries_no_email_and_is_url_safe()
    {
        var token = Tokens(("k1", OldSecret)).Create(Sample());
        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", token);
    }

    [Fact]
    public void a_tampered_payload_or_signature_does_not_read()
    {
        var tokens = Tokens(("k1", OldSecret));
        var token = tokens.Create(Sample());
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(token[..dot])));
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.Replace("id:7", "id:8", StringComparison.Ordinal)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Null(tokens.Read(forged + token[dot..], _clock.GetUtcNow()));
        Assert.Null(tokens.Read(token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1], _clock.GetUtcNow()));
        Assert.Null(tokens.Read(token[..dot], _clock.GetUtcNow()));
        Assert.Null(tokens.Read("not a token", _clock.GetUtcNow()));
        Assert.Null(tokens.Read("", _clock.GetUtcNow()));
    }

    [Fact]
    public void a_token_expires()
    {
        var tokens = Tokens(("k1", OldSecret));
        var token = tokens.Create(Sample(TimeSpan.FromDays(1)));
        _clock.Advance(TimeSpan.FromHours(23));
        Assert.NotNull(tokens.Read(token, _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(tokens.Read(token, _clock.GetUtcNow()));
    }

    [Fact]
    public void after_rotation_old_links_still_verify_and_new_links_use_the_new_key()
    {
        var before = Tokens(("k1", OldSecret));
        var oldLink = before.Create(Sample());
        var rotated = Tokens(("k2", NewSecret), ("k1", OldSecret));

        Assert.NotNull(rotated.Read(oldLink, _clock.GetUtcNow()));
        var newLink = rotated.Create(Sample());
        Assert.NotNull(rotated.Read(newLink, _clock.GetUtcNow()));
        Assert.Null(before.Read(newLink, _clock.GetUtcNow())); // signed with k2, which the old set does not know
        Assert.Null(Tokens(("k2", NewSecret)).Read(oldLink, _clock.GetUtcNow())); // k1 retired: its links stop working
    }

    [Fact]
    public void a_key_id_swapped_to_another_key_does_not_verify()
    {
        var tokens = Tokens(("k2", NewSecret), ("k1", OldSecret));
        var signedWithK1 = Tokens(("k1", OldSecret)).Create(Sample());
        var sameSecretOtherId = Tokens(("k9", OldSecret));
        Assert.Null(sameSecretOtherId.Read(signedWithK1, _clock.GetUtcNow()));
        Assert.NotNull(tokens.Read(signedWithK1, _clock.GetUtcNow()));
    }

    [Fact]
    public void without_a_key_no_link_can_be_made()
    {
        var tokens = Tokens();
        Assert.False(tokens.CanSign);
        Assert.Throws<InvalidOperationException>(() => tokens.Create(Sample()));
    }

    private static string Pad(string b64url)
    {
        var b = b64url.Replace('-', '+').Replace('_', '/');
        return b.PadRight(b.Length + (4 - b.Length % 4) % 4, '=');
    }
}
