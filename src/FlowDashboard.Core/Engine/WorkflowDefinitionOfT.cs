using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Store;

namespace FlowDashboard.Engine;

/// <summary>A workflow with a typed input and output; delegate and class workflows both become one.</summary>
internal sealed class WorkflowDefinition<TInput, TOutput>(
    string name,
    WorkflowOptions options,
    Func<IServiceProvider, IWorkflowContext<TInput>, Task<TOutput>> body,
    Func<IServiceProvider, WorkflowFailure<TInput>, CancellationToken, Task>? onFailure)
    : WorkflowDefinition(name, typeof(TInput), options)
{
    public override bool HasFailureHandler => onFailure is not null;

    public override WorkflowExecution CreateExecution(ExecutionSetup setup, IServiceProvider services) =>
        new WorkflowExecution<TInput>(setup, Deserialize(setup.Run.Input), context => RunBodyAsync(context, services));

    public override Task RunFailureHandlerAsync(RunEntity run, string? failedStep, IServiceProvider services, CancellationToken cancellationToken)
    {
        var failure = new WorkflowFailure<TInput>(
            run.Id, run.Workflow, Deserialize(run.Input), failedStep, run.Error ?? "", run.ErrorType, services);
        return onFailure!(services, failure, cancellationToken);
    }

    private async Task<string?> RunBodyAsync(IWorkflowContext<TInput> context, IServiceProvider services)
    {
        var output = await body(services, context);
        return output is null ? null : JsonSerializer.Serialize(output, FlowJson.Data);
    }

    private static TInput Deserialize(string? json) =>
        JsonSerializer.Deserialize<TInput>(json ?? "null", FlowJson.Data)!;
}
