namespace FlowDashboard.Exceptions;

/// <summary>No run has the given id.</summary>
/// <param name="runId">The id that was asked for.</param>
public sealed class RunNotFoundException(string runId)
    : FlowDashboardException($"No run with id '{runId}' exists.")
{
    /// <summary>The id that was asked for.</summary>
    public string RunId { get; } = runId;
}
