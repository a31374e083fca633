namespace Automation.Core.Events;

/// <summary>Bounds on amounts we accept, so that no sum over a customer's orders can overflow.</summary>
public static class Money
{
    /// <summary>A trillion in any currency: far above any real order, far below decimal's range.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    public static bool IsPlausible(decimal? amount) => amount is null || Math.Abs(amount.Value) <= MaxAmount;
}
