namespace FlowDashboard.Authoring;

/// <summary>A workflow class whose body returns a result, recorded as the run's output.</summary>
/// <typeparam name="TInput">The workflow's input type.</typeparam>
/// <typeparam name="TOutput">The run's output type.</typeparam>
public interface IWorkflow<TInput, TOutput>
{
    /// <summary>The workflow body: replayed from the top on every resumption.</summary>
    /// <param name="context">The run's context.</param>
    Task<TOutput> RunAsync(IWorkflowContext<TInput> context);
}
