namespace Automation.Functions.Hosting;

/// <summary>RFC 9457 problem responses: every error a caller can cause says what was wrong.</summary>
public static class Problems
{
    public static IResult Status(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}", title: "Invalid request");

    public static IResult Invalid(IEnumerable<(string Field, string Message)> errors)
    {
        var list = errors.ToList();
        var dict = list.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        return Results.ValidationProblem(dict, detail: string.Join("; ", list.Select(e => $"{e.Field}: {e.Message}")), title: "Invalid request");
    }

    public static IResult UnknownStore(string storeId, string? platform = null) => Status(StatusCodes.Status404NotFound, "Unknown store",
        platform is null ? $"No store '{storeId}' is configured." : $"No {platform} store '{storeId}' is configured.");
}
