namespace FlowDashboard.Exceptions;

/// <summary>A schedule cannot be saved as given: each field's problems, in words for the editor and the API.</summary>
/// <param name="errors">The problems, keyed by field (<c>name</c>, <c>workflow</c>, <c>cron</c>, <c>timeZone</c>, <c>input</c>).</param>
public sealed class InvalidScheduleException(IReadOnlyDictionary<string, string[]> errors)
    : FlowDashboardException("The schedule is not valid: " + ErrorText.Join(errors))
{
    /// <summary>The problems, keyed by field.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
