using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Automation.Functions.Email;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Tests.Email;

/// <summary>The SendGrid adapter against a local listener that checks SendGrid's documented v3 mail-send contract.</summary>
public sealed class SendGridSenderTests : IAsyncLifetime, IDisposable
{
    private const string ApiKey = "SG.test-key-not-a-real-one";
    private const string Recipient = "ana@example.com";

    private readonly HttpClient _http = new();
    private SendGridListener _sendGrid = null!;

    public async Task InitializeAsync() => _sendGrid = await SendGridListener.StartAsync(ApiKey);

    public async Task DisposeAsync() => await _sendGrid.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private static ComposedEmail Email() => new(
        "send-7f3a", "demo-store", "id:42", "winback-20", "en", "marketing",
        From: new Mailbox("hello@demo-store.example", "Demo Store"),
        ReplyTo: new Mailbox("care@demo-store.example"),
        To: Recipient,
        Subject: "We miss you, Ana",
        Html: "<p>Hi Ana, use <strong>WB-7KQ2</strong>.</p>",
        Text: "Hi Ana, use WB-7KQ2.",
        Categories: ["dormancy-win-back", "winback-20"],
        CustomArgs: new Dictionary<string, string> { ["send_id"] = "send-7f3a", ["store"] = "demo-store", ["customer"] = "id:42", ["journey"] = "dormancy-win-back", ["step"] = "email-20", ["run"] = "1", ["template"] = "winback-20" },
        Headers: new Dictionary<string, string> { ["List-Unsubscribe"] = "<https://links.example/api/r/unsubscribe/t0k>", ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click" },
        AsmGroupId: 4242,
        DynamicTemplateId: null,
        TemplateData: new Dictionary<string, object?> { ["customer"] = new Dictionary<string, object?> { ["firstName"] = "Ana" } });

    private SendGridSender Sender(bool sandbox = false, string? host = null) => new(_http, Options.Create(new SendGridOptions
    {
        ApiKey = ApiKey,
        Host = host ?? _sendGrid.Host,
        SandboxMode = sandbox,
        FromEmail = "hello@demo-store.example",
        FromName = "Demo Store",
    }));

    [Fact]
    public async Task accepted_email_returns_sendgrids_message_id()
    {
        var result = await Sender().SendAsync(Email(), CancellationToken.None);

        Assert.Equal(new EmailResult(true, "sg-1"), result);
        Assert.Equal(202, Assert.Single(_sendGrid.Requests).Status);
    }

    [Fact]
    public async Task request_satisfies_the_v3_mail_send_contract()
    {
        await Sender().SendAsync(Email(), CancellationToken.None);

        var request = Assert.Single(_sendGrid.Requests);
        Assert.Empty(request.Violations);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v3/mail/send", request.Path);
        Assert.Equal("Bearer " + ApiKey, request.Authorization);
        var mail = request.Body!;
        var personalization = Assert.Single(mail["personalizations"]!.AsArray())!;
        Assert.Equal(Recipient, (string?)Assert.Single(personalization["to"]!.AsArray())!["email"]);
        Assert.Equal("hello@demo-store.example", (string?)mail["from"]!["email"]);
        Assert.Equal("Demo Store", (string?)mail["from"]!["name"]);
        Assert.Equal("care@demo-store.example", (string?)mail["reply_to"]!["email"]);
        Assert.Equal("We miss you, Ana", (string?)(mail["subject"] ?? personalization["subject"]));
        var content = mail["content"]!.AsArray();
        Assert.Equal(["text/plain", "text/html"], content.Select(c => (string)c!["type"]!));
        Assert.Equal("Hi Ana, use WB-7KQ2.", (string?)content[0]!["value"]);
        Assert.Equal(["dormancy-win-back", "winback-20"], mail["categories"]!.AsArray().Select(c => (string)c!));
        var args = (personalization["custom_args"] ?? mail["custom_args"])!.AsObject();
        Assert.Equal(["send_id", "store", "customer", "journey", "step", "run", "template"], args.Select(a => a.Key));
        Assert.Equal("send-7f3a", (string?)args["send_id"]);
        var headers = (personalization["headers"] ?? mail["headers"])!.AsObject();
        Assert.Equal("<https://links.example/api/r/unsubscribe/t0k>", (string?)headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", (string?)headers["List-Unsubscribe-Post"]);
        Assert.Equal(4242, (int?)mail["asm"]!["group_id"]);
        Assert.Null(mail["template_id"]);
        Assert.False((bool?)mail["mail_settings"]?["sandbox_mode"]?["enable"] ?? false);
        Assert.Empty(_http.DefaultRequestHeaders); // the key travels per request, so a shared HttpClient is safe
    }

    [Fact]
    public async Task a_dynamic_template_is_sent_by_id_with_the_template_data_and_no_content()
    {
        var email = Email() with { DynamicTemplateId = "d-0123456789abcdef" };

        var result = await Sender().SendAsync(email, CancellationToken.None);

        Assert.True(result.Accepted);
        var request = Assert.Single(_sendGrid.Requests);
        Assert.Empty(request.Violations);
        var mail = request.Body!;
        Assert.Equal("d-0123456789abcdef", (string?)mail["template_id"]);
        Assert.Null(mail["content"]);
        Assert.Null(mail["subject"]);
        var personalization = Assert.Single(mail["personalizations"]!.AsArray())!;
        Assert.Equal("Ana", (string?)personalization["dynamic_template_data"]!["customer"]!["firstName"]);
        Assert.NotNull((personalization["headers"] ?? mail["headers"])!["List-Unsubscribe"]);
    }

    [Fact]
    public async Task an_email_without_a_sender_address_is_refused_before_calling_sendgrid()
    {
        var result = await Sender().SendAsync(Email() with { From = new Mailbox("") }, CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.False(result.Transient);
        Assert.Contains("FromEmail", result.Failure, StringComparison.Ordinal);
        Assert.Empty(_sendGrid.Requests);
    }

    [Fact]
    public async Task sandbox_mode_is_passed_to_sendgrid()
    {
        var result = await Sender(sandbox: true).SendAsync(Email(), CancellationToken.None);

        var request = Assert.Single(_sendGrid.Requests);
        Assert.Empty(request.Violations);
        Assert.True((bool?)request.Body!["mail_settings"]!["sandbox_mode"]!["enable"]);
        Assert.Equal(200, request.Status);
        Assert.True(result.Accepted);
    }

    [Fact]
    public async Task bad_request_is_a_permanent_failure_keeping_sendgrids_error_text()
    {
        _sendGrid.AnswerBadRequest("The from address does not match a verified Sender Identity.", "from");

        var result = await Sender().SendAsync(Email(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.False(result.Transient);
        Assert.Equal("400 from SendGrid: The from address does not match a verified Sender Identity. (from)", result.Failure);
        Assert.DoesNotContain(Recipient, result.Failure, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task too_many_requests_is_transient_and_reports_the_rate_limit_reset()
    {
        _sendGrid.AnswerTooManyRequests(reset: 1_762_160_400);

        var result = await Sender().SendAsync(Email(), CancellationToken.None);

        Assert.Equal(new EmailResult(false, Failure: "429 from SendGrid; X-RateLimit-Reset 1762160400", Transient: true,
            RetryAt: DateTimeOffset.FromUnixTimeSeconds(1_762_160_400)), result);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task server_error_is_transient(HttpStatusCode status)
    {
        _sendGrid.AnswerServerError(status);

        var result = await Sender().SendAsync(Email(), CancellationToken.None);

        Assert.Equal(new EmailResult(false, Failure: $"{(int)status} from SendGrid", Transient: true), result);
    }

    [Fact]
    public async Task unreachable_sendgrid_is_transient()
    {
        var host = _sendGrid.Host;
        await _sendGrid.DisposeAsync();

        var result = await Sender(host: host).SendAsync(Email(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.True(result.Transient);
        Assert.StartsWith("SendGrid unreachable", result.Failure, StringComparison.Ordinal);
        _sendGrid = await SendGridListener.StartAsync(ApiKey); // for DisposeAsync
    }

    [Fact]
    public async Task listener_refuses_a_request_without_authorization()
    {
        using var content = new StringContent(ValidBody().ToJsonString(), Encoding.UTF8, "application/json");

        using var response = await _http.PostAsync(new Uri(_sendGrid.Host + "/v3/mail/send"), content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("no Authorization header", Assert.Single(_sendGrid.Requests).Violations);
    }

    public static TheoryData<string, string> Breaches => new()
    {
        { """{"personalizations":[]}""", "personalizations must be an array of 1 to 1000" },
        { """{"personalizations":[{"to":[]}]}""", "each personalization needs a non-empty 'to' of addresses with an email" },
        { """{"from":{}}""", "from.email is required" },
        { """{"subject":null}""", "subject is required unless every personalization has one or template_id is set" },
        { """{"content":[{"type":"text/html","value":"<p>x</p>"},{"type":"text/plain","value":"x"}]}""", "text/plain must come first when there are several contents" },
        { """{"categories":["a","b","c","d","e","f","g","h","i","j","k"]}""", "at most 10 categories, not 11" },
        { $$"""{"categories":["{{new string('c', 256)}}"]}""", "each category has 1 to 255 characters" },
        { $$$"""{"custom_args":{"big":"{{{new string('x', 10_000)}}}"}}""", "custom_args may total at most 10000 bytes" },
        { """{"headers":{"Subject":"x"}}""", "headers may not set the reserved header Subject" },
        { """{"headers":{"X-Count":3}}""", "headers.X-Count must be a string" },
        { """{"asm":{"group_id":"42"}}""", "asm.group_id must be a positive integer" },
        { """{"template_id":"winback-20","content":null}""", "template_id must be a dynamic template id starting with d-" },
        { """{"content":null}""", "content is required unless template_id is set" },
        { """{"personalizations":[{"to":[{"email":"a@example.com"}],"dynamic_template_data":"x"}]}""", "dynamic_template_data must be an object" },
        { """{"reply_to":{"name":"x"}}""", "reply_to.email is required when reply_to is set" },
        { Personalizations(1001), "personalizations must be an array of 1 to 1000" },
        { $$"""{"personalizations":[{"to":[{"email":"a@example.com"}],"bcc":{{Addresses(1000)}}}]}""", "at most 1000 recipients in all, not 1001" },
        { """{"personalizations":[{"to":[{"email":"a@example.com"}]},{"to":[{"email":"A@example.com"}]}]}""", "an email address is included more than once in personalizations" },
        { """{"personalizations":[{"to":[{"email":"a@example.com","name":"Lima, Ana"}]}]}""", "a recipient's name may not include ; or ," },
        { """{"personalizations":[{"to":[{"email":"a@example.com"}],"headers":{"Reply-To":"b@example.com"}}]}""", "personalizations.headers may not set the reserved header Reply-To" },
        { """{"personalizations":[{"to":[{"email":"a@example.com"}],"custom_args":{"run":1}}]}""", "custom_args must map names to strings" },
        { $$$"""{"personalizations":[{"to":[{"email":"a@example.com"}],"custom_args":{"big":"{{{new string('x', 10_000)}}}"}}]}""", "custom_args may total at most 10000 bytes" },
        { """{"template_id":"d-0123","subject":null,"content":null}""", "each personalization needs its dynamic_template_data when template_id is set" },
    };

    private static string Addresses(int count) => new JsonArray([.. Enumerable.Range(1, count).Select(n => new JsonObject { ["email"] = $"b{n}@example.com" })]).ToJsonString();

    private static string Personalizations(int count) => new JsonObject
    {
        ["personalizations"] = new JsonArray([.. Enumerable.Range(1, count).Select(n => new JsonObject { ["to"] = new JsonArray(new JsonObject { ["email"] = $"a{n}@example.com" }) })]),
    }.ToJsonString();

    [Theory]
    [MemberData(nameof(Breaches))]
    public async Task listener_refuses_requests_that_break_the_contract(string change, string violation)
    {
        var body = ValidBody();
        foreach (var (name, value) in JsonNode.Parse(change)!.AsObject()) body[name] = value?.DeepClone();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_sendGrid.Host + "/v3/mail/send"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(violation, Assert.Single(_sendGrid.Requests).Violations);
    }

    [Fact]
    public async Task listener_refuses_a_body_of_30_mb_or_more_as_sendgrid_does()
    {
        var body = ValidBody();
        body["content"] = new JsonArray(new JsonObject { ["type"] = "text/plain", ["value"] = new string('x', SendGridListener.MaxBodyBytes) });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_sendGrid.Host + "/v3/mail/send"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.StartsWith("content too large", Assert.Single(Assert.Single(_sendGrid.Requests).Violations), StringComparison.Ordinal);
    }

    private static JsonObject ValidBody() => new()
    {
        ["personalizations"] = new JsonArray(new JsonObject { ["to"] = new JsonArray(new JsonObject { ["email"] = Recipient }) }),
        ["from"] = new JsonObject { ["email"] = "hello@demo-store.example" },
        ["subject"] = "winback",
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text/plain", ["value"] = "hi" }),
    };
}
