using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using SendGrid.Helpers.Mail;

namespace Automation.Functions.Email;

/// <summary>
/// Sends a <see cref="BatchEmail"/> through SendGrid's <c>POST /v3/mail/send</c>, one personalization per recipient
/// (recipients never see each other) and as few requests as SendGrid's limits allow, and says per recipient what
/// became of them. Requests go one after the other; after an answer with <c>X-RateLimit-Remaining: 0</c> the next
/// waits for <c>X-RateLimit-Reset</c> (at most <see cref="SendGridOptions.BatchMaxWaitSeconds"/>). After a 429 or a
/// request that got no answer, the rest is not tried and is handed back to be retried. Nothing here logs: the caller
/// records each recipient's result, and neither recipients nor the API key may appear in a log.
/// </summary>
public sealed class SendGridBatchSender(HttpClient http, IOptions<SendGridOptions> options, TimeProvider time)
{
    /// <summary>"You may not include more than 1000 personalizations per API request" (SendGrid's Personalizations page;
    /// <c>maxItems: 1000</c> in the v3 Mail Send OpenAPI spec).</summary>
    public const int MaxPersonalizations = 1000;

    /// <summary>"The total number of recipients must be no more than 1000 … to, cc, and bcc … across each object" in
    /// <c>personalizations</c> (Mail Send Limitations page). One recipient per personalization keeps within it.</summary>
    public const int MaxRecipients = 1000;

    /// <summary>"The total size of your email, including attachments, must be less than 30MB" (Mail Send Limitations
    /// page); read here as 30,000,000 bytes of request body, the stricter reading of MB.</summary>
    public const int MaxBodyBytes = 30_000_000;

    /// <summary>Headers a personalization "may not override" (v3 Mail Send OpenAPI spec, <c>personalizations[].headers</c>).</summary>
    public static readonly IReadOnlySet<string> ReservedHeaders = new HashSet<string>(
        ["x-sg-id", "x-sg-eid", "received", "dkim-signature", "Content-Type", "Content-Transfer-Encoding", "To", "From", "Subject", "Reply-To", "CC", "BCC"],
        StringComparer.OrdinalIgnoreCase);

    private readonly SendGridMailSend _mailSend = new(http, options.Value);

    /// <summary>The body size a request must stay under; lowered by tests, which would otherwise post 30 MB.</summary>
    internal int BodyLimit { get; init; } = MaxBodyBytes;

    /// <summary>Whether <paramref name="template"/> in <paramref name="locale"/> has a SendGrid dynamic template, which
    /// alone can be batched: a template from <c>templates/</c> is rendered by us, one body per recipient.</summary>
    public bool CanBatch(string template, string locale) => options.Value.DynamicTemplateFor(template, locale) is not null;

    /// <returns>One result per recipient, in the batch's order.</returns>
    public async Task<IReadOnlyList<BatchRecipientResult>> SendAsync(BatchEmail batch, CancellationToken ct)
    {
        var results = new EmailResult?[batch.Recipients.Count];
        if (Refusal(batch) is { } refusal)
            return [.. batch.Recipients.Select(r => new BatchRecipientResult(r.SendId, new EmailResult(false, Failure: refusal)))];
        var valid = new List<int>();
        for (var i = 0; i < results.Length; i++)
        {
            if (Check(batch.Recipients[i]) is { } failure) results[i] = new EmailResult(false, Failure: failure);
            else valid.Add(i);
        }

        var requests = new Stack<int[]>(Pack(batch.Recipients, valid).AsEnumerable().Reverse());
        DateTimeOffset? resumeAt = null;
        EmailResult? rest = null; // once set, what every recipient not yet sent gets
        while (requests.TryPop(out var request))
        {
            if (rest is null && resumeAt is { } resume && resume > time.GetUtcNow())
                rest = await PaceAsync(resume, ct);
            if (rest is not null)
            {
                Assign(results, request, rest);
                continue;
            }
            var body = Message(batch, request).Serialize();
            if (Encoding.UTF8.GetByteCount(body) >= BodyLimit)
            {
                if (request.Length == 1)
                {
                    results[request[0]] = new EmailResult(false, Failure: $"this recipient's message alone would take {Encoding.UTF8.GetByteCount(body)} bytes; SendGrid takes less than {BodyLimit}");
                    continue;
                }
                requests.Push(request[(request.Length / 2)..]);
                requests.Push(request[..(request.Length / 2)]);
                continue;
            }
            SendGridAnswer answer;
            try
            {
                answer = await _mailSend.PostAsync(body, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Cancelled mid-request: it may have gone out. What was sent before is still reported.
                Assign(results, request, new EmailResult(false, Failure: "cancelled while SendGrid had the request", Transient: true, Unknown: true));
                rest = NotTried("the batch was cancelled", null);
                continue;
            }
            if (answer.Status == 400 && request.Length > 1 && NamesOnePersonalization(answer.Result.Failure))
            {
                // SendGrid refuses the whole request over one bad personalization and sends none of it: halve the
                // request until the refusal lands on the recipient it is about, so the others still go (about
                // log2(n) more requests per bad recipient). A refusal about the shared parts fails everyone at once.
                if (answer.RateLimitRemaining == 0 && answer.RateLimitReset is { } spent) resumeAt = spent;
                requests.Push(request[(request.Length / 2)..]);
                requests.Push(request[..(request.Length / 2)]);
                continue;
            }
            Assign(results, request, answer.Result);
            if (answer.RateLimitRemaining == 0 && answer.RateLimitReset is { } reset) resumeAt = reset;
            if (answer.Status == 429) rest = NotTried("SendGrid answered 429 to an earlier request of this batch", answer.Result.RetryAt);
            else if (answer.Status is null) rest = NotTried("an earlier request of this batch got no answer from SendGrid", null);
        }
        return [.. batch.Recipients.Select((r, i) => new BatchRecipientResult(r.SendId, results[i]!))];
    }

    /// <summary>Whether SendGrid's error names a field of one personalization (<c>personalizations.37.to.0.email</c>).</summary>
    internal static bool NamesOnePersonalization(string? failure) =>
        failure is not null && System.Text.RegularExpressions.Regex.IsMatch(failure, @"\(personalizations\.\d+\.");

    /// <summary>Waits for the rate limit's reset when it is near enough; otherwise (or when cancelled) what the rest gets.</summary>
    private async Task<EmailResult?> PaceAsync(DateTimeOffset resume, CancellationToken ct)
    {
        var wait = resume - time.GetUtcNow();
        if (wait > TimeSpan.FromSeconds(options.Value.BatchMaxWaitSeconds))
            return NotTried("SendGrid's rate limit is spent until its reset", resume);
        try
        {
            await Task.Delay(wait, time, ct);
            return null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return NotTried("the batch was cancelled", null);
        }
    }

    private string? Refusal(BatchEmail batch)
    {
        if (batch.DynamicTemplateId is not { } id || !id.StartsWith("d-", StringComparison.Ordinal)) return BatchEmail.NotBatchable(batch.Template, batch.Locale);
        if (string.IsNullOrWhiteSpace(batch.From.Email)) return SendGridMailSend.NoSender(batch.StoreId);
        return null;
    }

    /// <summary>What would make SendGrid refuse the whole request because of this recipient alone.</summary>
    private static string? Check(BatchRecipient recipient)
    {
        if (string.IsNullOrWhiteSpace(recipient.Email)) return "no email address";
        // "This field may not exceed 10,000 bytes" (personalizations[].custom_args, v3 Mail Send OpenAPI spec).
        var argBytes = EmailComposer.CustomArgsBytes(recipient.CustomArgs);
        if (argBytes > EmailComposer.MaxCustomArgsBytes) return $"custom args take {argBytes} bytes; SendGrid allows {EmailComposer.MaxCustomArgsBytes}";
        if (recipient.Headers.Keys.FirstOrDefault(ReservedHeaders.Contains) is { } reserved) return $"header {reserved} is reserved by SendGrid";
        return null;
    }

    /// <summary>
    /// Requests of at most <see cref="MaxPersonalizations"/> recipients, in order, none holding an address twice:
    /// SendGrid refuses a request that does ("Each unique email address in the personalizations array should only be
    /// included once", Mail Send Errors page), so a second recipient at the same address goes in a later request.
    /// </summary>
    private static List<int[]> Pack(IReadOnlyList<BatchRecipient> recipients, List<int> indices)
    {
        var requests = new List<(List<int> Members, HashSet<string> Addresses)>();
        var open = 0; // requests before this one are full
        foreach (var i in indices)
        {
            var address = recipients[i].Email.Trim();
            var k = open;
            while (k < requests.Count && (requests[k].Members.Count == MaxPersonalizations || requests[k].Addresses.Contains(address))) k++;
            if (k == requests.Count) requests.Add(([], new HashSet<string>(StringComparer.OrdinalIgnoreCase)));
            requests[k].Members.Add(i);
            requests[k].Addresses.Add(address);
            while (open < requests.Count && requests[open].Members.Count == MaxPersonalizations) open++;
        }
        return [.. requests.Select(r => r.Members.ToArray())];
    }

    internal SendGridMessage Message(BatchEmail batch, IEnumerable<int> members)
    {
        var message = new SendGridMessage
        {
            TemplateId = batch.DynamicTemplateId,
            Personalizations = [.. members.Select(i => Personalization(batch.Recipients[i]))],
        };
        SendGridMailSend.Envelope(message, batch.From, batch.ReplyTo, batch.Categories, batch.AsmGroupId, batch.SandboxMode || options.Value.SandboxMode);
        return message;
    }

    private static Personalization Personalization(BatchRecipient r) => new()
    {
        Tos = [new EmailAddress(r.Email.Trim(), DisplayName(r.Name))],
        TemplateData = r.TemplateData,
        CustomArgs = new Dictionary<string, string>(r.CustomArgs),
        Headers = new Dictionary<string, string>(r.Headers),
    };

    /// <summary>"The to.name … cannot include either the ; or , characters" (Mail Send Limitations page).</summary>
    private static string? DisplayName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var clean = string.Join(' ', name.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries));
        return clean.Length == 0 ? null : clean;
    }

    private static void Assign(EmailResult?[] results, int[] request, EmailResult result)
    {
        foreach (var i in request) results[i] = result;
    }

    private static EmailResult NotTried(string why, DateTimeOffset? retryAt) =>
        new(false, Failure: "not sent: " + why + (retryAt is { } at ? string.Create(CultureInfo.InvariantCulture, $"; retry at {at:u}") : ""), Transient: true, RetryAt: retryAt);
}
