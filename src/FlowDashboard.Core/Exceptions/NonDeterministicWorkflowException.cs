namespace FlowDashboard.Exceptions;

/// <summary>
/// A replay asked for a different step than the one recorded at the same position: the workflow's code
/// changed under a running run, or its step sequence depends on something other than step results.
/// </summary>
/// <param name="message">Names the recorded and the requested step.</param>
public sealed class NonDeterministicWorkflowException(string message) : FlowDashboardException(message);
