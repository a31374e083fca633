using Microsoft.Extensions.Options;
using SendGrid.Helpers.Mail;

namespace Automation.Functions.Email;

/// <summary>
/// Sends one email through SendGrid's <c>POST {Host}/v3/mail/send</c> (<see cref="SendGridMailSend"/>: the call, its
/// timeout and what each answer means). Nothing here logs: the outbox records the outcome, and neither the recipient
/// nor the API key may appear in a log.
/// </summary>
public sealed class SendGridSender(HttpClient http, IOptions<SendGridOptions> options) : IEmailSender
{
    private readonly SendGridMailSend _mailSend = new(http, options.Value);

    public async Task<EmailResult> SendAsync(ComposedEmail email, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(email.From.Email)) return new EmailResult(false, Failure: SendGridMailSend.NoSender(email.StoreId));
        return (await _mailSend.PostAsync(Message(email, options.Value).Serialize(), ct)).Result;
    }

    internal static SendGridMessage Message(ComposedEmail email, SendGridOptions settings)
    {
        var message = new SendGridMessage();
        message.AddTo(email.To);
        if (email.DynamicTemplateId is { } templateId)
        {
            // SendGrid renders its own copy of the template from the same data; no subject or content is sent.
            message.SetTemplateId(templateId);
            message.SetTemplateData(email.TemplateData);
        }
        else
        {
            message.Subject = email.Subject;
            message.PlainTextContent = email.Text.Length == 0 ? " " : email.Text; // the package puts text/plain first, as SendGrid asks
            message.HtmlContent = email.Html;
        }
        message.AddCustomArgs(new Dictionary<string, string>(email.CustomArgs));
        message.AddHeaders(new Dictionary<string, string>(email.Headers));
        SendGridMailSend.Envelope(message, email.From, email.ReplyTo, email.Categories, email.AsmGroupId, settings.SandboxMode);
        return message;
    }
}
