namespace FlowDashboard.Exceptions;

/// <summary>No workflow is registered under the given name.</summary>
/// <param name="workflow">The name that was asked for.</param>
public sealed class WorkflowNotFoundException(string workflow)
    : FlowDashboardException($"No workflow named '{workflow}' is registered.")
{
    /// <summary>The name that was asked for.</summary>
    public string Workflow { get; } = workflow;
}
