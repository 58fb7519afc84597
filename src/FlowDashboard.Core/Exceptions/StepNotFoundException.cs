namespace FlowDashboard.Exceptions;

/// <summary>The run has no step of that name.</summary>
/// <param name="runId">The run.</param>
/// <param name="step">The step asked for.</param>
public sealed class StepNotFoundException(string runId, string step)
    : FlowDashboardException($"Run '{runId}' has no step named '{step}'.")
{
    /// <summary>The run.</summary>
    public string RunId { get; } = runId;

    /// <summary>The step asked for.</summary>
    public string Step { get; } = step;
}
