using System.Security.Cryptography;
using System.Text;

namespace Automation.Functions.Journeys.Outbox;

/// <summary>
/// An outbox action's id is unique only within its customer (<c>{journey}.{run}.{seq}</c>); what
/// leaves the app (coupon codes, webhook idempotency keys, email message ids, log lines) needs an
/// id unique across customers and stores, that says nothing about who the customer is.
/// </summary>
public static class ActionKey
{
    public static string For(string storeId, string customerKey, string actionId) =>
        "act-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{storeId}|{customerKey}|{actionId}")).AsSpan(0, 16));
}
