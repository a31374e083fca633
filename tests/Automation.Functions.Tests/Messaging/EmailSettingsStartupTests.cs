using Automation.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Tests.Messaging;

/// <summary>Link and messaging settings that would make weak links or rules that never apply stop the app at start, naming the setting.</summary>
public sealed class EmailSettingsStartupTests
{
    [Theory]
    [InlineData("Automation:Links:SigningKeys:0:Secret", "too-short", "Automation__Links__SigningKeys__0__Secret is shorter than 32")]
    [InlineData("Automation:Links:SigningKeys:0:Id", "not ok!", "Automation__Links__SigningKeys__0__Id must be 1-16 letters or digits")]
    [InlineData("Automation:Links:BaseUrl", "links.example", "Automation__Links__BaseUrl is not an http(s) URL")]
    [InlineData("Automation:Links:UnsubscribeDays", "7", "UnsubscribeDays must be at least 30")]
    public async Task the_app_does_not_start_with_a_bad_link_setting(string setting, string value, string message)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(new() { [setting] = value }));

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task two_keys_with_one_id_are_refused()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(new()
        {
            ["Automation:Links:SigningKeys:1:Id"] = "t1",
            ["Automation:Links:SigningKeys:1:Secret"] = new string('x', 40),
        }));

        Assert.Contains("the id 't1' is used twice", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Automation:Stores:shop:Messaging:TierCaps:vip:0", "2/PT16H", "TierCaps__vip names no lifecycle tier")]
    [InlineData("Automation:Stores:shop:Messaging:Caps:0", "one a day", "cap 'one a day' is not {max}/{ISO 8601 duration}")]
    [InlineData("Automation:Stores:shop:Messaging:SendWindowStart", "9am", "must be HH:mm local times")]
    public async Task the_app_does_not_start_with_a_bad_messaging_setting(string setting, string value, string message)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(new() { [setting] = value }));

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }
}
