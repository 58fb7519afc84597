namespace FlowDashboard.States;

/// <summary>Which states are final: a final state never changes again by itself.</summary>
public static class StatusFacts
{
    /// <summary>True for <c>Completed</c>, <c>Failed</c> and <c>Cancelled</c>.</summary>
    /// <param name="status">The run status.</param>
    public static bool IsFinal(this RunStatus status) =>
        status is RunStatus.Completed or RunStatus.Failed or RunStatus.Cancelled;

    /// <summary>True for <c>Completed</c>, <c>Failed</c> and <c>Cancelled</c>.</summary>
    /// <param name="status">The step status.</param>
    public static bool IsFinal(this StepStatus status) =>
        status is StepStatus.Completed or StepStatus.Failed or StepStatus.Cancelled;
}
