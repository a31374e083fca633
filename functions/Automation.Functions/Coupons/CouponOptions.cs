namespace Automation.Functions.Coupons;

/// <summary>Settings under <c>Automation:Coupons</c>.</summary>
public sealed class CouponOptions
{
    public const string Section = "Automation:Coupons";

    /// <summary>
    /// HMAC key generated codes are derived from (a secret: at least 32 characters of randomness, never
    /// in files). Empty: derived from the first link-signing key. Changing it changes the code a retried
    /// action would get only for actions not yet issued; issued ones are remembered.
    /// </summary>
    public string CodeSecret { get; set; } = "";

    /// <summary>Claims of pool codes choose at random among this many available codes, so concurrent claims rarely collide.</summary>
    public int ClaimCandidates { get; set; } = 16;

    /// <summary>Seconds to wait for the store's coupon webhook before trying again later.</summary>
    public double WebhookTimeoutSeconds { get; set; } = 10;
}
