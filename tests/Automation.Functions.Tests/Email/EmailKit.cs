using System.Collections.Immutable;
using Automation.Core.Journeys.Engine;
using Automation.Core.Profiles;
using Automation.Functions.Email;
using Automation.Functions.Hosting;
using Automation.Functions.Journeys;
using Automation.Functions.Recipients;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Tests.Email;

/// <summary>The composer over the shipped templates, with a store, a customer and an action to vary.</summary>
internal static class EmailKit
{
    public const string StoreId = "demo";
    public const string Address = "12 Rue de la Paix, 75002 Paris";
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public static readonly EmailTemplates Shipped = new(JourneyFiles.TemplatesDirectory);

    public static StoreOptions Store(Action<StoreOptions>? change = null)
    {
        var store = new StoreOptions
        {
            Name = "Demo & Co", Url = "https://demo.example", FromEmail = "hello@demo.example", FromName = "Demo",
            ReplyTo = "care@demo.example", UnsubscribeGroupId = 4242, PhysicalAddress = Address,
            Locale = "en", TimeZone = "Europe/Paris", Currency = "EUR",
        };
        change?.Invoke(store);
        return store;
    }

    public static LinkTokens Links(bool signing = true) => new(Options.Create(new LinkOptions
    {
        BaseUrl = "https://links.example",
        SigningKeys = signing ? [new SigningKey { Id = "k1", Secret = "0123456789abcdef0123456789abcdef" }] : [],
    }));

    public static EmailComposer Composer(EmailTemplates? templates = null, bool signing = true, SendGridOptions? sendGrid = null) =>
        new(templates ?? Shipped, Links(signing), Options.Create(sendGrid ?? new SendGridOptions { FromEmail = "default@demo.example" }));

    public static CustomerProfile Customer(string? locale = "en", string? firstName = "Ana", string? timeZone = null) => new()
    {
        StoreId = StoreId,
        CustomerKey = "id:42",
        Email = "ana@example.com",
        FirstName = firstName,
        LastName = firstName is null ? null : "Lima",
        Locale = locale,
        TimeZone = timeZone,
    };

    public static IssuedCoupon Coupon(decimal percent = 20m, decimal? amount = null, decimal? minimum = null, string? currency = null) =>
        new("WB-7KQ2", amount is null ? percent : 0m, new DateTimeOffset(2026, 12, 5, 22, 59, 0, TimeSpan.Zero))
        {
            AmountOff = amount,
            Currency = currency,
            MinimumOrder = minimum,
        };

    public static JourneyAction Action(string template, string category = "marketing", IssuedCoupon? coupon = null, string journey = "dormancy-win-back") =>
        new("dormancy-win-back.1.4", ActionKinds.SendEmail, journey, 1, 1, "email-20", Now)
        {
            Template = template,
            Category = category,
            Coupon = coupon,
        };

    public static JourneyStates Journeys(JourneyInstance? instance = null) => instance is null ? JourneyStates.Empty
        : JourneyStates.Empty with { Instances = ImmutableSortedDictionary.Create<string, JourneyInstance>(StringComparer.Ordinal).Add(instance.JourneyId, instance) };

    public static ComposedEmail Compose(JourneyAction action, CustomerProfile? customer = null, StoreOptions? store = null, JourneyStates? journeys = null, EmailComposer? composer = null)
    {
        var composition = (composer ?? Composer()).Compose(StoreId, store ?? Store(), "id:42", "act-0123", action, customer ?? Customer(), journeys ?? JourneyStates.Empty, Now);
        Assert.True(composition.Email is not null, composition.Failure);
        return composition.Email!;
    }
}
