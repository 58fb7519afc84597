using Microsoft.AspNetCore.Http;

namespace FlowDashboard.Console.Api;

/// <summary>A request the API refuses before it reaches a service: its status, and what was wrong, by field.</summary>
/// <param name="status">400 for a value that is not valid, 415 for a body that is not JSON.</param>
/// <param name="title">What went wrong, in a line.</param>
/// <param name="errors">Why, keyed by the field, parameter or header concerned.</param>
internal sealed class ApiRequestException(int status, string title, IReadOnlyDictionary<string, string[]> errors) : Exception(title)
{
    /// <summary>A value that is not valid: a 400 naming <paramref name="field"/>.</summary>
    public ApiRequestException(string field, string message)
        : this(StatusCodes.Status400BadRequest, "The request is not valid", new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public int Status { get; } = status;

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
