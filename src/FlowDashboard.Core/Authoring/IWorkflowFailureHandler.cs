namespace FlowDashboard.Authoring;

/// <summary>
/// Implemented by a workflow class that wants to act once a run has failed for good (after its retries).
/// The handler runs as the run's last step, <c>$on-failure</c>: it is retried with the workflow's retry
/// policy and its outcome is recorded, but it never changes the run's <c>Failed</c> status.
/// </summary>
/// <typeparam name="TInput">The workflow's input type.</typeparam>
public interface IWorkflowFailureHandler<TInput>
{
    /// <summary>Called once per failed run (again only if it throws and is retried).</summary>
    /// <param name="failure">What failed.</param>
    /// <param name="cancellationToken">Cancelled on shutdown.</param>
    Task OnFailureAsync(WorkflowFailure<TInput> failure, CancellationToken cancellationToken);
}
