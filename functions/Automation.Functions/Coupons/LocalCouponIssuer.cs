using System.Security.Cryptography;
using System.Text;
using Automation.Core.Journeys.Engine;

namespace Automation.Functions.Coupons;

/// <summary>
/// Makes the code itself: the pool's prefix and eight characters derived from the action key, so
/// a retried issue gives the same code and codes cannot be guessed from one another. Registering
/// the code with the store's platform (Shopify price rules, WooCommerce coupons) is the coupon
/// adapters' job, added with the platform integrations; until then the code exists only here.
/// </summary>
public sealed class LocalCouponIssuer : ICouponIssuer
{
    // No 0/O or 1/I: codes are typed by people.
    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    public Task<CouponResult> IssueAsync(string storeId, string actionKey, JourneyAction action, CancellationToken ct)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(actionKey));
        var suffix = new char[8];
        for (var i = 0; i < suffix.Length; i++) suffix[i] = Alphabet[digest[i] % Alphabet.Length];
        return Task.FromResult(new CouponResult($"{action.Prefix}-{new string(suffix)}"));
    }
}
