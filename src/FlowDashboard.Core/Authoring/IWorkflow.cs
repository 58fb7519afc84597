namespace FlowDashboard.Authoring;

/// <summary>
/// A workflow written as a class, registered with <c>AddWorkflow&lt;TWorkflow&gt;()</c> and resolved from a
/// new dependency-injection scope for each execution, so its steps can use scoped services.
/// </summary>
/// <remarks>
/// The name is taken from <see cref="WorkflowAttribute"/>, or else from the class name in kebab case
/// without a <c>Workflow</c> suffix (<c>OrderFulfillmentWorkflow</c> becomes <c>order-fulfillment</c>).
/// </remarks>
/// <typeparam name="TInput">The workflow's input type.</typeparam>
public interface IWorkflow<TInput>
{
    /// <summary>The workflow body: replayed from the top on every resumption.</summary>
    /// <param name="context">The run's context.</param>
    Task RunAsync(IWorkflowContext<TInput> context);
}
