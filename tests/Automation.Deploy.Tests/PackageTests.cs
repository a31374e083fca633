using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Deploy.Tests.Infrastructure;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Deploy.Tests;

/// <summary>Builds the package once with the README's command (<c>./publish.sh</c>) and unpacks it as Azure does.</summary>
public sealed class PublishedPackage : IAsyncLifetime
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("automation-package-").FullName;
    public string Zip => Path.Combine(Folder, "automation-functions.zip");
    public string Root => Path.Combine(Folder, "unpacked");
    public string PublishLog { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var psi = new ProcessStartInfo("bash", [Repo.Path("publish.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ARTIFACTS_DIR"] = Folder },
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        PublishLog = await stdout + await stderr;
        if (p.ExitCode != 0) throw new InvalidOperationException("publish.sh failed:\n" + PublishLog);
        ZipFile.ExtractToDirectory(Zip, Root);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The deployable zip: what the Functions host needs at the app root (host.json, one folder per function,
/// the handler it starts), the handler self-contained for linux-x64, and the handler started from the
/// unpacked folder the way the host starts it, answering the host's invocations and proxied requests.
/// </summary>
public sealed class PackageTests(PublishedPackage package) : IClassFixture<PublishedPackage>
{
    private static string BindingsFolder => Repo.Path("functions", "Automation.Functions", "bindings");

    [Fact]
    public void The_app_root_holds_host_json_one_folder_per_function_and_the_handler_it_names()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(package.Root, "host.json")))!;
        Assert.Equal(File.ReadAllText(Repo.Path("host.json")), File.ReadAllText(Path.Combine(package.Root, "host.json")));
        var executable = host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>();
        Assert.True(host["customHandler"]!["enableProxyingHttpRequest"]!.GetValue<bool>());
        Assert.True(File.Exists(Path.Combine(package.Root, executable)), $"{executable} is not at the app root.");

        var functions = Directory.GetDirectories(BindingsFolder).Select(Path.GetFileName).Order().ToList();
        Assert.Contains("ProcessEvents", functions);
        Assert.Contains("SweepTimers", functions);
        foreach (var name in functions)
            Assert.Equal(File.ReadAllText(Path.Combine(BindingsFolder, name!, "function.json")), File.ReadAllText(Path.Combine(package.Root, name!, "function.json")));
        // Only those: any other folder with a function.json would be a function the host loads.
        var packaged = Directory.GetDirectories(package.Root).Where(d => File.Exists(Path.Combine(d, "function.json"))).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(functions, packaged);
        Assert.False(Directory.Exists(Path.Combine(package.Root, "bindings")));

        // What the handler reads at run time travels with it.
        Assert.True(File.Exists(Path.Combine(package.Root, "journeys", "catalog.json")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(package.Root, "templates"), "*.hbs", SearchOption.AllDirectories));
        // Nothing local: settings files hold developer secrets.
        Assert.Empty(Directory.GetFiles(package.Root, "local.settings*.json", SearchOption.AllDirectories));
    }

    [Fact]
    public void The_handler_is_a_self_contained_linux_x64_executable_marked_executable_in_the_zip()
    {
        using var zip = ZipFile.OpenRead(package.Zip);
        var entry = zip.GetEntry("Automation.Functions") ?? throw new InvalidOperationException("no handler at the zip's root");
        // Unix permissions live in the upper 16 bits; Azure unpacks them, and a handler without x does not start.
        var mode = (UnixFileMode)((entry.ExternalAttributes >> 16) & 0x1FF);
        Assert.True(mode.HasFlag(UnixFileMode.UserExecute), $"mode {mode}");

        using (var elf = File.OpenRead(Path.Combine(package.Root, "Automation.Functions")))
        {
            var magic = new byte[5];
            elf.ReadExactly(magic);
            Assert.Equal([0x7F, (byte)'E', (byte)'L', (byte)'F', 2], magic); // 64-bit ELF
        }
        // Self-contained: the runtime is in the package (Flex Consumption's custom runtime brings none).
        Assert.True(File.Exists(Path.Combine(package.Root, "libcoreclr.so")));
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(package.Root, "Automation.Functions.runtimeconfig.json")))!;
        Assert.NotNull(runtimeConfig["runtimeOptions"]!["includedFrameworks"]);
    }

    [Fact]
    public async Task The_handler_starts_from_the_unpacked_package_on_the_port_the_host_gives_and_answers_it()
    {
        var port = Azurite.FreePort();
        var psi = new ProcessStartInfo(Path.Combine(package.Root, "Automation.Functions"))
        {
            WorkingDirectory = package.Root, // customHandler.description.workingDirectory "" = the app root
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var settings = new Dictionary<string, string>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FUNCTIONS_WORKER_RUNTIME"] = "custom",
            ["AzureWebJobsStorage"] = await Azurite.ConnectionStringAsync(),
            ["Automation__StoragePrefix"] = "pkg" + Guid.NewGuid().ToString("N")[..8],
            ["Automation__AdminApiKey"] = "package-test-key",
            ["Automation__RunLocalConsumer"] = "false",
            ["Automation__RunLocalSweeper"] = "false",
            ["Automation__Links__BaseUrl"] = "https://automation.example.test",
            ["Automation__Links__SigningKeys__0__Id"] = "p1",
            ["Automation__Links__SigningKeys__0__Secret"] = "package-test-link-secret-0123456789abcdef",
            ["Automation__Stores__demo__Platform"] = "custom",
            ["Automation__Stores__demo__TimeZone"] = "Europe/London",
            // Unresolved, as App Service leaves a reference it cannot read: counted as unset, and logged as an error.
            ["Automation__SendGrid__ApiKey"] = "@Microsoft.KeyVault(VaultName=kv-test;SecretName=sendgrid-api-key)",
        };
        foreach (var (k, v) in settings) psi.Environment[k] = v;

        var output = new StringBuilder();
        var errors = new StringBuilder();
        using var handler = Process.Start(psi)!;
        handler.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        handler.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); errors.AppendLine(e.Data); } };
        handler.BeginOutputReadLine();
        handler.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilHealthyAsync(http, handler, output);

            // A proxied HTTP function: the host forwards the original request, path and headers unchanged.
            using var journeys = new HttpRequestMessage(HttpMethod.Get, "/api/journeys");
            journeys.Headers.Add("X-Api-Key", "package-test-key");
            var listed = await http.SendAsync(journeys);
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            Assert.Contains("first-order", await listed.Content.ReadAsStringAsync()); // shipped journeys found from the app root

            // The timer trigger's invocation, as the host posts it.
            var swept = await http.PostAsync("/SweepTimers", Json("""{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{"sys":"{\"MethodName\":\"SweepTimers\",\"UtcNow\":\"2026-11-23T10:00:00Z\",\"RandGuid\":\"9d6c0f0e-2a7e-4f7c-9d49-2a4f0f1b6c11\"}"}}"""));
            Assert.Equal(HttpStatusCode.OK, swept.StatusCode);
            var answer = JsonNode.Parse(await swept.Content.ReadAsStringAsync())!;
            Assert.NotNull(answer["Logs"]);

            // The Service Bus trigger's invocation: body base64 (dataType binary), metadata JSON-encoded twice.
            var at = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
            var evt = new CustomerEvent("pkg-evt-1", "demo", "id:42", EventTypes.CustomerUpdated, at, at, "api", new CustomerFacts("42", "pkg@example.com"));
            var invocation = new JsonObject
            {
                ["Data"] = new JsonObject { ["message"] = Convert.ToBase64String(EventJson.Serialize(evt)) },
                ["Metadata"] = new JsonObject
                {
                    ["MessageId"] = JsonSerializer.Serialize("pkg-evt-1"),
                    ["DeliveryCount"] = JsonSerializer.Serialize("1"),
                    ["SessionId"] = JsonSerializer.Serialize("demo|id:42"),
                },
            };
            var processed = await http.PostAsync("/ProcessEvents", Json(invocation.ToJsonString()));
            Assert.True(processed.IsSuccessStatusCode, $"{(int)processed.StatusCode}: {await processed.Content.ReadAsStringAsync()}");

            // The host turns each output line into one trace: one line per entry, no colour codes.
            string log;
            lock (output) log = output.ToString();
            Assert.Contains($"Microsoft.Hosting.Lifetime[14] Now listening on: http://127.0.0.1:{port}", log);
            Assert.False(log.Contains('\u001b', StringComparison.Ordinal), "colour codes in the output:\n" + log);
            // Warnings and errors on standard error, which the host records as errors; the rest on standard output.
            string stderr;
            lock (output) stderr = errors.ToString();
            Assert.Contains("App setting Automation__SendGrid__ApiKey is a Key Vault reference", stderr);
            Assert.DoesNotContain("Now listening on", stderr);
        }
        finally
        {
            if (!handler.HasExited) handler.Kill(entireProcessTree: true);
            await handler.WaitForExitAsync();
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Start-up, not a test: wait (bounded) for the handler to answer, as the host does.</summary>
    private static async Task WaitUntilHealthyAsync(HttpClient http, Process handler, StringBuilder output)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (handler.HasExited) throw new InvalidOperationException($"The handler exited with {handler.ExitCode}:\n{output}");
            try
            {
                if ((await http.GetAsync("/api/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"The handler did not become healthy:\n{output}");
            await Task.Delay(200);
        }
    }
}
