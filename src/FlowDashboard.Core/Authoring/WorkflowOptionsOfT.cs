namespace FlowDashboard.Authoring;

/// <summary>Settings of a workflow registered as a delegate, including its failure handler.</summary>
/// <typeparam name="TInput">The workflow's input type.</typeparam>
public sealed class WorkflowOptions<TInput> : WorkflowOptions
{
    /// <summary>
    /// Runs once a run has failed for good, as the run's last step <c>$on-failure</c>; retried with
    /// <see cref="WorkflowOptions.Retry"/>, its outcome recorded. Null for none.
    /// </summary>
    public Func<WorkflowFailure<TInput>, CancellationToken, Task>? OnFailure { get; set; }
}
