namespace Automation.Functions.Recipients;

/// <summary>Settings under <c>Automation:Links</c>: where recipients' links point and the keys that sign them.</summary>
public sealed class LinkOptions
{
    public const string Section = "Automation:Links";

    /// <summary>The app's public address as recipients reach it (<c>https://…azurewebsites.net</c>); links are <c>{BaseUrl}/api/r/…</c>.</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1:7071";

    /// <summary>
    /// HMAC keys, newest first: the first signs new links, every one verifies. To rotate, put a new key
    /// first and keep the old ones until the links they signed have expired. Secrets: never in files.
    /// </summary>
    public List<SigningKey> SigningKeys { get; set; } = [];

    /// <summary>How long an unsubscribe link works. Default 365 days (the law asks for at least 30).</summary>
    public int UnsubscribeDays { get; set; } = 365;

    /// <summary>How long a survey link works. Default 30 days.</summary>
    public int SurveyDays { get; set; } = 30;
}

/// <param name="Id">Short name carried in each token so the right key verifies it (letters and digits).</param>
/// <param name="Secret">At least 32 characters of randomness.</param>
public sealed class SigningKey
{
    public string Id { get; set; } = "";
    public string Secret { get; set; } = "";
}
