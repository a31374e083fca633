using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Automation.Core.Ingestion;

/// <summary>
/// Event ids become table row keys and Service Bus message ids (at most 128 characters, none of
/// <c>/ \ # ?</c>). Ids we cannot use as they are are replaced by a digest, which is just as stable.
/// </summary>
public static partial class EventIds
{
    public const int MaxLength = 100;

    /// <summary><c>{source}-{id}</c> with the id kept when it is safe, hashed when not.</summary>
    public static string Make(string source, string rawId) => source + "-" + Safe(rawId);

    /// <summary>
    /// A platform's id as it can stand in a table key or a Service Bus session id: itself when it
    /// is safe, otherwise a digest of it. Idempotent, so it may be applied twice.
    /// </summary>
    public static string Safe(string rawId)
    {
        var id = rawId.Trim();
        return IsSafe(id) ? id : Digest(id);
    }

    public static bool IsSafe(string id) => id.Length is > 0 and <= 80 && Safe().IsMatch(id);

    private static string Digest(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)).AsSpan(0, 20));

    [GeneratedRegex(@"^[A-Za-z0-9._:@+-]+\z")]
    private static partial Regex Safe();
}
