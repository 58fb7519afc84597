using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Exceptions;
using FlowDashboard.Store;

namespace FlowDashboard.Engine;

/// <summary>A registered workflow: its name, input type, options, body and failure handler.</summary>
internal abstract class WorkflowDefinition(string name, Type inputType, WorkflowOptions options)
{
    public string Name { get; } = name;
    public Type InputType { get; } = inputType;
    public WorkflowOptions Options { get; } = options;
    public abstract bool HasFailureHandler { get; }

    /// <summary>When the run must have finished by (<see cref="WorkflowOptions.Timeout"/>); null without a timeout or before it started.</summary>
    public DateTime? DeadlineOf(RunEntity run) =>
        Options.Timeout is { } timeout && (run.ResumedAt ?? run.StartedAt) is { } from ? from + timeout : null;

    /// <summary>The error of a run that reached <paramref name="deadline"/> unfinished.</summary>
    public string TimedOut(DateTime deadline) =>
        $"The run did not finish within its timeout of {Options.Timeout:c} (WorkflowOptions.Timeout): its deadline was {deadline:yyyy-MM-dd HH:mm:ss} UTC.";

    /// <summary>Binds and validates JSON input; returns it in canonical form.</summary>
    /// <exception cref="InvalidWorkflowInputException">It does not bind or fails its data annotations.</exception>
    public string BindInput(JsonElement input)
    {
        var errors = InputBinder.TryBind(InputType, input, out var canonical);
        return errors.Count == 0 ? canonical : throw new InvalidWorkflowInputException(Name, errors);
    }

    /// <summary>A fresh execution of the run's body; <see cref="WorkflowExecution.RunAsync"/> runs it.</summary>
    public abstract WorkflowExecution CreateExecution(ExecutionSetup setup, IServiceProvider services);

    /// <summary>Runs the failure handler once.</summary>
    public abstract Task RunFailureHandlerAsync(RunEntity run, string? failedStep, IServiceProvider services, CancellationToken cancellationToken);
}
