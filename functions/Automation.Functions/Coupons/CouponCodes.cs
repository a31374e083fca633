using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Coupons;

/// <summary>
/// Generated codes: the pool's prefix, a dash and ten characters of an HMAC-SHA256 of the action key.
/// Deterministic (a retry makes the same code) and, without the secret, unguessable from the action
/// key or from other codes: 32^10 ≈ 10^15 possibilities.
/// </summary>
public sealed class CouponCodes(IOptions<CouponOptions> coupons, IOptions<Recipients.LinkOptions> links)
{
    /// <summary>No 0/O or 1/I: codes are read from emails and typed by people.</summary>
    public const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    public const int Length = 10;

    /// <summary>Keeps a key derived from the link-signing secret apart from every other use of that secret.</summary>
    private const string Domain = "automation/coupon-codes/v1";

    private readonly byte[]? _key = Key(coupons.Value.CodeSecret, links.Value.SigningKeys.FirstOrDefault()?.Secret);

    public bool HasSecret => _key is not null;

    /// <summary>The code for an action, or null when no secret is configured.</summary>
    public string? For(string prefix, string actionKey)
    {
        if (_key is null) return null;
        var digest = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(actionKey));
        // 32 letters: five bits of the digest each, no modulo bias.
        var suffix = new char[Length];
        ulong bits = BitConverter.ToUInt64(digest, 0);
        for (var i = 0; i < Length; i++, bits >>= 5) suffix[i] = Alphabet[(int)(bits & 31)];
        return $"{prefix}-{new string(suffix)}";
    }

    private static byte[]? Key(string codeSecret, string? linkSecret)
    {
        if (!string.IsNullOrEmpty(codeSecret)) return Encoding.UTF8.GetBytes(codeSecret);
        if (string.IsNullOrEmpty(linkSecret)) return null;
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(linkSecret), Encoding.UTF8.GetBytes(Domain));
    }

    public const string NoSecret = "no secret to derive coupon codes from: set Automation__Coupons__CodeSecret (or a link-signing key, Automation__Links__SigningKeys__0__Secret)";
}
