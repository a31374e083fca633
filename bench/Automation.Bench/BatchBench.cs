using System.Diagnostics;
using System.Text;
using Automation.Core.Journeys.Engine;
using Automation.Core.Profiles;
using Automation.Functions.Email;
using Automation.Functions.Hosting;
using Automation.Functions.Recipients;
using Microsoft.Extensions.Options;

namespace Automation.Bench;

internal sealed record BatchCase(string Case, int Rounds, TimeSpan Elapsed, double BytesPerRound, long? BodyBytes)
{
    public double MillisecondsEach => Elapsed.TotalMilliseconds / Rounds;
}

/// <summary>
/// The app's own work for a broadcast of 1,000 recipients, in memory, nothing sent: composing them for a batch
/// (<see cref="EmailComposer.ComposeForBatch"/> and <see cref="BatchEmail.Merge"/>), building and serialising the one
/// 1,000-personalization request (<see cref="SendGridBatchSender"/>), and, to compare, composing the same 1,000 as
/// single emails (each rendered from <c>templates/</c>) and serialising each. One thread; a Stopwatch over rounds
/// after a warm-up, allocations from <see cref="GC.GetAllocatedBytesForCurrentThread"/>.
/// </summary>
internal static class BatchBench
{
    private const int Recipients = 1000;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<BatchCase> Run(string repo, int rounds, CancellationToken ct)
    {
        var sendGrid = new SendGridOptions { ApiKey = "SG.bench", FromEmail = "hello@bench.example", Host = "http://127.0.0.1:9" };
        sendGrid.DynamicTemplates["winback-20"] = new() { ["en"] = "d-0123456789abcdef0123456789abcdef" };
        var links = new LinkTokens(Options.Create(new LinkOptions
        {
            BaseUrl = "https://shop.example",
            SigningKeys = [new SigningKey { Id = "bench", Secret = "0123456789abcdef0123456789abcdef" }],
        }));
        var composer = new EmailComposer(new EmailTemplates(Path.Combine(repo, "templates")), links, Options.Create(sendGrid));
        var store = new StoreOptions { Name = "Bench Shop", Url = "https://shop.example", FromEmail = "hello@bench.example", PhysicalAddress = "1 High Street", Locale = "en", TimeZone = "Europe/London", Currency = "GBP", UnsubscribeGroupId = 42 };
        var action = new JourneyAction("winback.1.4", ActionKinds.SendEmail, "dormancy-win-back", 1, 1, "email-20", Now)
        {
            Template = "winback-20",
            Category = "marketing",
            Coupon = new IssuedCoupon("WB-7KQ2", 20m, Now.AddDays(14)),
        };
        var customers = Enumerable.Range(1, Recipients).Select(n => new CustomerProfile
        {
            StoreId = "bench", CustomerKey = $"id:{n}", Email = $"customer{n}@example.com", FirstName = $"Ann{n}", LastName = "Smith", Locale = "en",
        }).ToArray();
        using var http = new HttpClient();
        var sender = new SendGridBatchSender(http, Options.Create(sendGrid), TimeProvider.System);

        BatchEmail ComposeBatch() => BatchEmail.Merge(customers.Select(c =>
            composer.ComposeForBatch("bench", store, c.CustomerKey, "act-" + c.CustomerKey, action, c, JourneyStates.Empty, Now).Email!)).Single();
        var batch = ComposeBatch();
        var members = Enumerable.Range(0, Recipients).ToArray();
        string Serialise() => sender.Message(batch, members).Serialize();
        string Single(CustomerProfile c) => SendGridSender.Message(
            composer.Compose("bench", store, c.CustomerKey, "act-" + c.CustomerKey, action, c, JourneyStates.Empty, Now).Email!, sendGrid).Serialize();

        return
        [
            Measure($"compose {Recipients} recipients for a batch, merge", rounds, () => ComposeBatch().Recipients.Count == Recipients, null, ct),
            Measure($"build and serialise one {Recipients}-personalization request", rounds, () => Serialise().Length > 0, Encoding.UTF8.GetByteCount(Serialise()), ct),
            Measure($"to compare: compose (render) and serialise {Recipients} single emails", rounds, () => customers.All(c => Single(c).Length > 0),
                customers.Sum(c => (long)Encoding.UTF8.GetByteCount(Single(c))), ct),
        ];
    }

    private static BatchCase Measure(string name, int rounds, Func<bool> round, long? bodyBytes, CancellationToken ct)
    {
        for (var i = 0; i < Math.Max(3, rounds / 5); i++)
            if (!round()) throw new InvalidOperationException(name + ": not what the bench expects."); // warm-up: tiered JIT settles
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (!round()) throw new InvalidOperationException(name + ": not what the bench expects.");
        }
        clock.Stop();
        return new BatchCase(name, rounds, clock.Elapsed, (double)(GC.GetAllocatedBytesForCurrentThread() - bytes) / rounds, bodyBytes);
    }
}
