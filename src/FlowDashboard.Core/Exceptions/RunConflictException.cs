namespace FlowDashboard.Exceptions;

/// <summary>The run exists but is in no state for what was asked (cancel a completed run, reuse its id for another workflow).</summary>
/// <param name="runId">The run concerned.</param>
/// <param name="message">Why the request conflicts with the run's state.</param>
public sealed class RunConflictException(string runId, string message) : FlowDashboardException(message)
{
    /// <summary>The run concerned.</summary>
    public string RunId { get; } = runId;
}
