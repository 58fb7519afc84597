namespace FlowDashboard.Exceptions;

/// <summary>A resume named a workflow (or a key of it) that is not paused.</summary>
/// <param name="message">What is not paused.</param>
public sealed class WorkflowNotPausedException(string message) : FlowDashboardException(message);
