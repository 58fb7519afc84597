namespace FlowDashboard.Exceptions;

/// <summary>An event's payload does not fit the type the waiting step expects: nothing was delivered and nothing kept.</summary>
/// <param name="eventId">The event.</param>
/// <param name="runId">The run it was sent to.</param>
/// <param name="step">The waiting step.</param>
/// <param name="errors">Why, keyed by member path (an empty key for the payload as a whole).</param>
public sealed class InvalidEventPayloadException(string eventId, string runId, string step, IReadOnlyDictionary<string, string[]> errors)
    : FlowDashboardException(
        $"The payload of event '{eventId}' does not fit what step '{step}' of run '{runId}' waits for, so nothing was delivered: {ErrorText.Join(errors)}")
{
    /// <summary>The run it was sent to.</summary>
    public string RunId { get; } = runId;

    /// <summary>The waiting step.</summary>
    public string Step { get; } = step;

    /// <summary>Why, keyed by member path (an empty key for the payload as a whole).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
