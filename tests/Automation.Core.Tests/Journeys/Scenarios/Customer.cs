using Automation.Core.Events;

namespace Automation.Core.Tests.Journeys.Scenarios;

/// <summary>
/// Who a scenario is about, as the storefront first reports them (a <c>customer.updated</c> event
/// at the scenario's start, so the profile is built by the real reducer).
/// </summary>
/// <param name="Consent">The marketing consent state, or null when the store never said.</param>
/// <param name="TimeZone">A zone the customer stated; null leaves the country's or the store's.</param>
public sealed record Customer(
    string? Email = "ana@example.com",
    string? FirstName = "Ana",
    string? Consent = "subscribed",
    string? TimeZone = null,
    string? Country = null)
{
    /// <summary>Ana: an email address and marketing consent, living in the store's zone.</summary>
    public static readonly Customer Ana = new();

    public CustomerFacts Facts(DateTimeOffset at) => new(
        ExternalId: "1001",
        Email: Email,
        FirstName: FirstName,
        Country: Country,
        TimeZone: TimeZone,
        Consent: Consent is { } state ? new ConsentFacts(state, "test", at) : null);
}
