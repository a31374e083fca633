using Microsoft.Extensions.Options;

namespace Automation.Functions.Recipients;

/// <summary>Refuses to start with link settings that would make weak or broken links, naming the setting.</summary>
internal sealed class LinkOptionsValidation : IValidateOptions<LinkOptions>
{
    public const int MinSecretLength = 32;

    public ValidateOptionsResult Validate(string? name, LinkOptions o)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            errors.Add("Automation__Links__BaseUrl is not an http(s) URL (recipients' links start with it).");
        for (var i = 0; i < o.SigningKeys.Count; i++)
        {
            var key = o.SigningKeys[i];
            var prefix = $"Automation__Links__SigningKeys__{i}__";
            // An empty secret is a key not set (links then cannot be made, and emails say so); a short one is a weak key.
            if (key.Secret.Length is > 0 and < MinSecretLength)
                errors.Add($"{prefix}Secret is shorter than {MinSecretLength} characters; use a long random value.");
            if (key.Secret.Length > 0 && (key.Id.Length is 0 or > 16 || !key.Id.All(char.IsAsciiLetterOrDigit)))
                errors.Add($"{prefix}Id must be 1-16 letters or digits (it is carried in every link).");
        }
        var duplicate = o.SigningKeys.Where(k => k.Id.Length > 0).GroupBy(k => k.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) errors.Add($"Automation__Links__SigningKeys: the id '{duplicate.Key}' is used twice.");
        if (o.UnsubscribeDays < 30) errors.Add("Automation__Links__UnsubscribeDays must be at least 30 (the law asks unsubscribe links to work that long).");
        if (o.SurveyDays < 1) errors.Add("Automation__Links__SurveyDays must be at least 1.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
