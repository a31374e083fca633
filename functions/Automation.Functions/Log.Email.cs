namespace Automation.Functions;

/// <summary>Email log lines (5000–5099). Never the recipient, their name or an API key: the action key says which send.</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Warning, "Email action {ActionKey} (template {Template}) could not be composed and is failed: {Reason}")]
    public static partial void EmailNotComposed(ILogger logger, string actionKey, string template, string reason);

    [LoggerMessage(5001, LogLevel.Warning, "Email action {ActionKey} was rate limited by SendGrid; tried again at {RetryAt}")]
    public static partial void EmailRateLimited(ILogger logger, string actionKey, DateTimeOffset retryAt);
}
