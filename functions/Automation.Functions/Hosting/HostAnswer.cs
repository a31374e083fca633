using System.Text.Json;

namespace Automation.Functions.Hosting;

/// <summary>
/// The answer to a non-HTTP invocation from the Functions host (a custom handler's response payload):
/// <c>{"Outputs": {}, "Logs": [...], "ReturnValue": null}</c>, in the host's names, not the app's camelCase.
/// A 2xx completes the invocation; anything else fails it.
/// </summary>
public static class HostAnswer
{
    private static readonly JsonSerializerOptions HostJson = new();

    public static IResult With(int status, params string[] logs) =>
        Results.Json(new { Outputs = new { }, Logs = logs, ReturnValue = (object?)null }, HostJson, statusCode: status);
}
